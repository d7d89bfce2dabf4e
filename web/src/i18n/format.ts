import { FAULT_LABELS, humanizeCode, METRIC_INFO, type MetricUnit, VALUE_LABELS } from './codes.ts';
import type { Dictionary } from './dictionary.ts';

/**
 * The one place numbers, durations, times and codes become text. Every page formats through here, so
 * the dashboard has one number format (the language's: vi-VN writes "97,23"), units on every metric,
 * times in the commune's zone, and no raw code on screen.
 */

/** The commune's clock: every time on screen is in this zone, whatever the browser's. */
export const COMMUNE_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const COMMUNE_OFFSET_MIN = 7 * 60;

const isVi = (t: Dictionary) => t.locale.startsWith('vi');

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number in the language's format, at most `maxDigits` decimals; a minus sign, not a hyphen. */
export function formatNumber(t: Dictionary, n: number, maxDigits = 1, minDigits = 0): string {
  const key = `${t.locale}|${maxDigits}|${minDigits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(t.locale, {
      maximumFractionDigits: maxDigits,
      minimumFractionDigits: minDigits,
    });
    numberFormats.set(key, f);
  }
  return f.format(n).replace(/^-/, '−');
}

/** A ratio 0..1 as "97,23 %"; `digits` decimals always shown, so 0.01 % differences stay visible. */
export function formatPercent(t: Dictionary, ratio: number | null, digits = 2): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—';
  return `${formatNumber(t, ratio * 100, digits, digits)} %`;
}

/**
 * A duration in seconds as words, rounded DOWN at every step: a 1.3 s drop is "1 giây", never "1 phút".
 * Two units at most ("2 giờ 18 phút", "3 ngày 4 giờ"); under a second it says so.
 */
export function formatDuration(t: Dictionary, seconds: number): string {
  const u = t.units;
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return seconds === 0 ? `0 ${u.second}` : u.underASecond;
  const s = Math.floor(seconds);
  const parts: [number, string][] = [
    [Math.floor(s / 86400), u.day],
    [Math.floor((s % 86400) / 3600), u.hour],
    [Math.floor((s % 3600) / 60), u.minute],
    [s % 60, u.second],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, w]) => `${formatNumber(t, n, 0)} ${w}`)
    .join(' ');
}

/** "3 phút trước" style age of an ISO time relative to `now` (epoch ms). */
export function formatAgo(t: Dictionary, iso: string | null, now: number): string {
  if (!iso) return t.list.never;
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 5) return t.time.justNow;
  if (s < 60) return t.time.secondsAgo(s);
  const m = Math.floor(s / 60);
  if (m < 60) return t.time.minutesAgo(m);
  const h = Math.floor(m / 60);
  if (h < 48) return t.time.hoursAgo(h);
  return t.time.daysAgo(Math.floor(h / 24));
}

/** True when the browser's clock is not on the commune's offset at `at`: then times carry the zone. */
export function browserElsewhere(at: number = Date.now()): boolean {
  return -new Date(at).getTimezoneOffset() !== COMMUNE_OFFSET_MIN;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, style: 'datetime' | 'time' | 'date'): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let f = dateFormats.get(key);
  if (!f) {
    const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    const date = { day: '2-digit', month: '2-digit', year: 'numeric' } as const;
    f = new Intl.DateTimeFormat(locale, {
      timeZone: COMMUNE_TIME_ZONE,
      ...(style !== 'date' ? time : {}),
      ...(style === 'datetime' ? { second: '2-digit' } : {}),
      ...(style !== 'time' ? date : {}),
    });
    dateFormats.set(key, f);
  }
  return f;
}

function toDate(iso: string | number): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

function zoneSuffix(d: Date): string {
  return browserElsewhere(d.getTime()) ? ' (GMT+7)' : '';
}

/** "14:05:09 23/11/2025" in the commune's zone, with "(GMT+7)" when the browser is elsewhere. */
export function formatDateTime(t: Dictionary, iso: string | number): string {
  const d = toDate(iso);
  if (!d) return '—';
  const p = Object.fromEntries(
    dateFormat(t.locale, 'datetime')
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.hour}:${p.minute}:${p.second} ${p.day}/${p.month}/${p.year}${zoneSuffix(d)}`;
}

/** "07:42" (today's events), in the commune's zone. */
export function formatTime(t: Dictionary, iso: string | number): string {
  const d = toDate(iso);
  if (!d) return '—';
  const p = Object.fromEntries(
    dateFormat(t.locale, 'time')
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.hour}:${p.minute}${zoneSuffix(d)}`;
}

/** "30/11/2026", in the commune's zone. */
export function formatDate(t: Dictionary, iso: string | number): string {
  const d = toDate(iso);
  if (!d) return '—';
  const p = Object.fromEntries(
    dateFormat(t.locale, 'date')
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year}`;
}

/** A metric's name in the language; an unknown one as words, never the raw code. */
export function metricLabel(t: Dictionary, key: string): string {
  const info = METRIC_INFO[key];
  if (info) return isVi(t) ? info.vi : info.en;
  return isVi(t) ? `Chỉ số "${humanizeCode(key)}"` : humanizeCode(key);
}

export function metricUnit(key: string): MetricUnit {
  return METRIC_INFO[key]?.unit ?? '';
}

function unitText(t: Dictionary, unit: MetricUnit): string {
  if (unit === 'ngày' || unit === 'khung hình/giây') return isVi(t) ? unit : unit === 'ngày' ? 'days' : 'fps';
  return unit;
}

/** A metric's value with its unit: "100 %", "−79 dBm", "27,4 °C", "Có", "Điện lưới". */
export function formatMetricValue(t: Dictionary, value: number | boolean | string, key = ''): string {
  if (typeof value === 'boolean') return value ? t.detail.yes : t.detail.no;
  if (typeof value === 'string') return valueLabel(t, value);
  const unit = metricUnit(key);
  if (unit === 'duration') return formatDuration(t, value);
  const n = formatNumber(t, value, 2);
  if (!unit) return n;
  return unit === '/5' ? `${n}/5` : `${n} ${unitText(t, unit)}`;
}

/** "Pin 100 %", "Tín hiệu −79 dBm". */
export function formatMetric(t: Dictionary, key: string, value: number | boolean | string): string {
  return `${metricLabel(t, key)} ${formatMetricValue(t, value, key)}`;
}

/** A string a device sent as a metric value: a known code in words, anything else as words. */
export function valueLabel(t: Dictionary, value: string): string {
  const known = VALUE_LABELS[value];
  if (known) return isVi(t) ? known.vi : known.en;
  return /[a-z]_[a-z]|[a-z][A-Z]/.test(value) ? humanizeCode(value) : value;
}

/** A fault code in the language; an unknown one as words ("Lỗi khác: …"). */
export function faultLabel(t: Dictionary, code: string): string {
  const known = (FAULT_LABELS as Record<string, string>)[code];
  if (known && isVi(t)) return known;
  if (known) return humanizeCode(code);
  return isVi(t) ? `Lỗi khác: ${humanizeCode(code)}` : `Other fault: ${humanizeCode(code)}`;
}

/** A heartbeat's own health (`ok`/`degraded`/`fault`). */
export function healthLabel(t: Dictionary, st: string): string {
  return valueLabel(t, st);
}
