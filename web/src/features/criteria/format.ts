import { browserElsewhere } from '../../i18n/format.ts';

/** vi-VN (or en-GB) numbers and Vietnam-time dates for the criteria page. */
const TZ = 'Asia/Ho_Chi_Minh';
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatNumber(locale: string, value: number, digits = 1): string {
  return value.toLocaleString(locale, { maximumFractionDigits: digits });
}

export function formatPercent(locale: string, value: number | null): string {
  // One percent format across the dashboard (i18n/format.ts): the number, a space, the sign.
  return value === null ? '—' : `${formatNumber(locale, value)} %`;
}

/** "14:05 23/11/2026" in Vietnam time whatever the browser's zone. */
export function formatVnDateTime(locale: string, iso: string | null): string {
  if (!iso) return '—';
  let f = dateTimeFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: TZ,
      hour: '2-digit',
      minute: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    });
    dateTimeFormats.set(locale, f);
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return browserElsewhere(d.getTime()) ? `${f.format(d)} (GMT+7)` : f.format(d);
}
