import type { Dictionary } from './dictionary.ts';

/** "3 phút trước" style age of an ISO time relative to `now` (epoch ms). */
export function formatAgo(t: Dictionary, iso: string | null, now: number): string {
  if (!iso) return t.list.never;
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 5) return t.time.justNow;
  if (s < 60) return t.time.secondsAgo(s);
  const m = Math.floor(s / 60);
  if (m < 60) return t.time.minutesAgo(m);
  const h = Math.floor(m / 60);
  if (h < 48) return t.time.hoursAgo(h);
  return t.time.daysAgo(Math.floor(h / 24));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local date and time, e.g. "14:05:09 23/11/2025" in Vietnamese. */
export function formatDateTime(t: Dictionary, iso: string | number): string {
  let f = formatters.get(t.locale);
  if (!f) {
    f = new Intl.DateTimeFormat(t.locale, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    });
    formatters.set(t.locale, f);
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : f.format(d);
}

export function metricLabel(t: Dictionary, key: string): string {
  return t.metrics[key] ?? key;
}

export function formatMetricValue(t: Dictionary, value: number | boolean | string): string {
  if (typeof value === 'boolean') return value ? t.detail.yes : t.detail.no;
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? value.toLocaleString(t.locale)
      : value.toLocaleString(t.locale, { maximumFractionDigits: 2 });
  }
  return value;
}
