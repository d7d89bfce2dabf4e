import { HubError } from '../errors.ts';

const DAY_MS = 86_400_000;

/**
 * The one time-range check of the API. Every route that takes a time (queries `from`/`to`, maintenance
 * windows, alert and delivery lists, criteria periods) goes through here, so an absurd value is a 400
 * naming the field, never a 500 after something was stored (`new Date(1e20).toISOString()` throws).
 */
export const TIME_MIN_MS = 0;
/** 2100-01-01: nothing the hub records or plans lies beyond it. */
export const TIME_MAX_MS = Date.UTC(2100, 0, 1);
/**
 * The widest window a route accepts. Scripts ask `from=0` for "everything", so the bound is the whole
 * accepted interval's order of magnitude (100 years), not a report period; routes whose cost grows with
 * the span (downsampled series) bound their own bucket count.
 */
export const MAX_SPAN_MS = 36_525 * DAY_MS;

const EPOCH_MS = /^\d{1,15}$/;
/** ISO 8601 as the dashboard and scripts send it: a date, optionally a time and a zone. */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function bad(name: string, value: string, why: string): HubError {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return new HubError('HUB_ERR_BAD_TIME_RANGE', `${name} ${why}, got ${JSON.stringify(shown)}`);
}

/** Accepts ISO 8601 or epoch milliseconds between 1970 and 2100. */
export function parseTime(value: string, name: string): number {
  if (typeof value !== 'string' || value.length > 40) {
    throw bad(name, String(value), 'must be an ISO 8601 time or epoch milliseconds');
  }
  let ms: number;
  if (EPOCH_MS.test(value)) ms = Number(value);
  else if (ISO.test(value)) ms = Date.parse(value);
  else if (/^\d+$/.test(value)) throw bad(name, value, 'is out of range (1970–2100)');
  else throw bad(name, value, 'must be an ISO 8601 time or epoch milliseconds');
  if (!Number.isFinite(ms)) throw bad(name, value, 'must be an ISO 8601 time or epoch milliseconds');
  if (ms < TIME_MIN_MS || ms >= TIME_MAX_MS) throw bad(name, value, 'is out of range (1970–2100)');
  return ms;
}

export interface RangeOptions {
  /** Span used when `from` is missing (default one day). */
  defaultSpanMs?: number;
  /** A window that must end after it starts (maintenance), rather than from ≤ to. */
  strict?: boolean;
}

function checkRange(from: number, to: number, query: { from?: string; to?: string }, strict: boolean) {
  if (strict ? to <= from : from > to) {
    throw new HubError(
      'HUB_ERR_BAD_TIME_RANGE',
      strict ? 'a window must end after it starts' : `from (${query.from}) is after to (${query.to})`,
    );
  }
  if (to - from > MAX_SPAN_MS) {
    throw new HubError('HUB_ERR_BAD_TIME_RANGE', `the range is longer than ${MAX_SPAN_MS / DAY_MS} days`);
  }
}

/** `to` defaults to now, `from` to a day (or `defaultSpanMs`) before `to`. */
export function parseRange(
  query: { from?: string; to?: string },
  now: number,
  options: RangeOptions = {},
): { from: number; to: number } {
  const to = query.to === undefined ? now : parseTime(query.to, 'to');
  const from =
    query.from === undefined
      ? Math.max(TIME_MIN_MS, to - (options.defaultSpanMs ?? DAY_MS))
      : parseTime(query.from, 'from');
  checkRange(from, to, query, options.strict ?? false);
  return { from, to };
}

/** Both ends required (a maintenance window): `from` < `to`, both bounded. */
export function parseWindow(body: { from: string; to: string }): { from: number; to: number } {
  const from = parseTime(body.from, 'from');
  const to = parseTime(body.to, 'to');
  checkRange(from, to, body, true);
  return { from, to };
}
