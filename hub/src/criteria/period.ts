import type { Period, PeriodKind, PeriodQuery } from '@commune-hub/protocol';
import { parseTime } from '../api/time-range.ts';
import { HubError } from '../errors.ts';

/** Periods are cut at local midnight in Asia/Ho_Chi_Minh: UTC+7 all year (Vietnam has no daylight saving). */
export const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
/** Longest custom period: 5 years (with their leap days). */
export const MAX_PERIOD_MS = (5 * 365 + 2) * DAY_MS;

/** A period in epoch milliseconds, [from, to). */
export interface PeriodMs {
  kind: PeriodKind;
  from: number;
  to: number;
  label: string;
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** Epoch ms of local midnight starting the given local month (month 0-based; may overflow into next years). */
export function localMonthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1) - VN_OFFSET_MS;
}

/** Local calendar fields of an instant. */
export function localParts(ms: number): { year: number; month: number; day: number } {
  const d = new Date(ms + VN_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate() };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** "dd/mm/yyyy", local date. */
export function viDate(ms: number): string {
  const p = localParts(ms);
  return `${pad2(p.day)}/${pad2(p.month + 1)}/${p.year}`;
}

/** "2026-11", "2026-Q3", "2026-H1" or "2026" as a period. */
export function namedPeriod(name: string): PeriodMs {
  const m = /^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$/.exec(name);
  if (!m)
    throw new HubError(
      'HUB_ERR_BAD_TIME_RANGE',
      `period must look like 2026-11, 2026-Q3, 2026-H1 or 2026, got "${name}"`,
    );
  const year = Number(m[1]);
  if (m[2]) {
    const month = Number(m[2]) - 1;
    return {
      kind: 'month',
      from: localMonthStart(year, month),
      to: localMonthStart(year, month + 1),
      label: `Tháng ${month + 1}/${year}`,
    };
  }
  if (m[3]) {
    const q = Number(m[3]) - 1;
    return {
      kind: 'quarter',
      from: localMonthStart(year, q * 3),
      to: localMonthStart(year, q * 3 + 3),
      label: `Quý ${ROMAN[q]}/${year}`,
    };
  }
  if (m[4]) {
    const h = Number(m[4]) - 1;
    return {
      kind: 'half',
      from: localMonthStart(year, h * 6),
      to: localMonthStart(year, h * 6 + 6),
      label: h === 0 ? `6 tháng đầu năm ${year}` : `6 tháng cuối năm ${year}`,
    };
  }
  return {
    kind: 'year',
    from: localMonthStart(year, 0),
    to: localMonthStart(year + 1, 0),
    label: `Năm ${year}`,
  };
}

/** The local month containing `now`. */
export function currentMonth(now: number): PeriodMs {
  const p = localParts(now);
  return namedPeriod(`${p.year}-${pad2(p.month + 1)}`);
}

/** A custom [from, to): from ≤ to, 5 years at most. */
export function customPeriod(from: number, to: number): PeriodMs {
  if (from > to)
    throw new HubError(
      'HUB_ERR_BAD_TIME_RANGE',
      `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`,
    );
  if (to - from > MAX_PERIOD_MS)
    throw new HubError('HUB_ERR_BAD_TIME_RANGE', 'a period is at most 5 years long');
  // A custom period's label names its last day, which is the day before `to` when `to` is a local midnight.
  return { kind: 'custom', from, to, label: `${viDate(from)} – ${viDate(Math.max(from, to - 1))}` };
}

/**
 * `period` (named) or `from`/`to` (custom; a missing `to` is now, a missing `from` the start of `to`'s
 * local month); neither is the current month. Both `period` and `from`/`to` is an error.
 */
export function resolvePeriod(query: Pick<PeriodQuery, 'period' | 'from' | 'to'>, now: number): PeriodMs {
  if (query.period !== undefined) {
    if (query.from !== undefined || query.to !== undefined)
      throw new HubError('HUB_ERR_BAD_TIME_RANGE', 'give either period or from/to, not both');
    return namedPeriod(query.period);
  }
  if (query.from === undefined && query.to === undefined) return currentMonth(now);
  const to = query.to === undefined ? now : parseTime(query.to, 'to');
  const from = query.from === undefined ? currentMonth(to).from : parseTime(query.from, 'from');
  return customPeriod(from, to);
}

/** The last `months` local months ending with the month `to` ("YYYY-MM", default the current one), oldest first. */
export function trailingMonths(months: number, now: number, to?: string): PeriodMs[] {
  const last = to ? namedPeriod(to) : currentMonth(now);
  const { year, month } = localParts(last.from);
  const out: PeriodMs[] = [];
  for (let i = months - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(year, month - i, 1));
    out.push(namedPeriod(`${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}`));
  }
  return out;
}

export function toPeriod(p: PeriodMs): Period {
  return {
    kind: p.kind,
    from: new Date(p.from).toISOString(),
    to: new Date(p.to).toISOString(),
    label: p.label,
  };
}
