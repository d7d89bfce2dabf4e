/**
 * Text helpers shared by the XLSX and DOCX annex builders: formula neutralising, Vietnamese dates,
 * file names. Pure, so they are tested against tables of cases.
 */

/** Formula neutralising lives in protocol (one rule for every export, the CLI's too). */
export { neutralizeFormula } from '@commune-hub/protocol';

const TZ = 'Asia/Ho_Chi_Minh';

function vnParts(ms: number): { day: number; month: number; year: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ,
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { day: get('day'), month: get('month'), year: get('year') };
}

/** The place-and-date line of a Vietnamese administrative document: "Hoàng Kim, ngày 30 tháng 11 năm 2026". */
export function placeAndDate(place: string, ms: number): string {
  const { day, month, year } = vnParts(ms);
  return `${place}, ngày ${day} tháng ${month} năm ${year}`;
}

/** "dd/mm/yyyy" in Vietnam's time zone. */
export function vnDate(ms: number): string {
  const { day, month, year } = vnParts(ms);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

/** "dd/mm/yyyy HH:MM" in Vietnam's time zone; empty for no time. */
export function vnDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  return `${vnDate(ms)} ${time}`;
}

/** A commune's name as the place of a signature: "Xã Hoàng Kim" → "Hoàng Kim". */
export function placeName(communeName: string): string {
  return communeName.replace(/^(xã|phường|thị trấn|đặc khu)\s+/iu, '').trim() || communeName;
}

/** vi-VN number: "99,5" with a decimal comma, thousands with a dot. */
export function vnNumber(value: number, maxFractionDigits = 1): string {
  return value.toLocaleString('vi-VN', { maximumFractionDigits: maxFractionDigits });
}

/** Folds Vietnamese to ASCII for the fallback file name of old clients: "Hoàng Kim" → "Hoang Kim". */
export function asciiFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** A file name slug: "Chỉ tiêu Hoàng Kim 11/2026" → "chi-tieu-hoang-kim-11-2026". */
export function slug(text: string): string {
  return asciiFold(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Content-Disposition for a download whose name is Vietnamese: an ASCII `filename` for old clients and
 * the exact name as RFC 5987 `filename*` (UTF-8, percent-encoded) for every current browser.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = asciiFold(fileName).replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
