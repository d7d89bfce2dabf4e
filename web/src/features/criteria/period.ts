/**
 * Reporting periods as a commune names them (tháng, quý, 6 tháng, năm), in Vietnam time (UTC+7 all year,
 * no daylight saving). A period has a key that lives in the URL ("2026-11", "2026-Q4", "2026-H2", "2026").
 */
export type PeriodKind = 'month' | 'quarter' | 'half' | 'year';
export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'half', 'year'];

export interface Period {
  kind: PeriodKind;
  key: string;
  /** Epoch ms of the first instant, Vietnam midnight. */
  from: number;
  /** Epoch ms of the first instant of the next period (exclusive). */
  to: number;
}

const VN_OFFSET_MS = 7 * 3_600_000;
const vnMidnight = (year: number, month0: number) => Date.UTC(year, month0, 1) - VN_OFFSET_MS;
const MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, half: 6, year: 12 };

function build(kind: PeriodKind, year: number, firstMonth0: number): Period {
  const index = Math.floor(firstMonth0 / MONTHS[kind]);
  const key =
    kind === 'month'
      ? `${year}-${String(firstMonth0 + 1).padStart(2, '0')}`
      : kind === 'quarter'
        ? `${year}-Q${index + 1}`
        : kind === 'half'
          ? `${year}-H${index + 1}`
          : String(year);
  return { kind, key, from: vnMidnight(year, firstMonth0), to: vnMidnight(year, firstMonth0 + MONTHS[kind]) };
}

/** The period of this kind that contains `ms`. */
export function periodContaining(kind: PeriodKind, ms: number): Period {
  const d = new Date(ms + VN_OFFSET_MS);
  const year = d.getUTCFullYear();
  const month0 = d.getUTCMonth();
  return build(kind, year, month0 - (month0 % MONTHS[kind]));
}

/** Parses a URL key; null when it is not a valid period key. */
export function parsePeriodKey(key: string): Period | null {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? build('month', Number(m[1]), month - 1) : null;
  }
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return build('quarter', Number(m[1]), (Number(m[2]) - 1) * 3);
  m = /^(\d{4})-H([12])$/.exec(key);
  if (m) return build('half', Number(m[1]), (Number(m[2]) - 1) * 6);
  m = /^(\d{4})$/.exec(key);
  if (m) return build('year', Number(m[1]), 0);
  return null;
}

/** The period before (`step` = -1) or after (+1). */
export function shiftPeriod(period: Period, step: number): Period {
  const start = new Date(period.from + VN_OFFSET_MS);
  const months = start.getUTCFullYear() * 12 + start.getUTCMonth() + step * MONTHS[period.kind];
  return build(period.kind, Math.floor(months / 12), months % 12);
}

/** The last `count` months ending with the month that contains `ms`, oldest first (the trend's x axis). */
export function lastMonths(ms: number, count: number): Period[] {
  const out: Period[] = [];
  let p = periodContaining('month', ms);
  for (let i = 0; i < count; i++) {
    out.unshift(p);
    p = shiftPeriod(p, -1);
  }
  return out;
}

/**
 * The range to evaluate: a period still running is evaluated up to now (a future instant has no
 * uptime yet); a past period as a whole.
 */
export function evaluationRange(period: Period, now: number): { from: number; to: number } {
  return { from: period.from, to: Math.min(period.to, Math.max(now, period.from + 1)) };
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** "Tháng 11/2026", "Quý IV/2026", "6 tháng cuối năm 2026", "Năm 2026" (and English). */
export function periodLabel(period: Period, lang: 'vi' | 'en'): string {
  const start = new Date(period.from + VN_OFFSET_MS);
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + 1;
  const index = Math.floor((month - 1) / MONTHS[period.kind]);
  if (lang === 'vi') {
    if (period.kind === 'month') return `Tháng ${month}/${year}`;
    if (period.kind === 'quarter') return `Quý ${ROMAN[index]}/${year}`;
    if (period.kind === 'half') return `6 tháng ${index === 0 ? 'đầu' : 'cuối'} năm ${year}`;
    return `Năm ${year}`;
  }
  if (period.kind === 'month') return `${String(month).padStart(2, '0')}/${year}`;
  if (period.kind === 'quarter') return `Q${index + 1} ${year}`;
  if (period.kind === 'half') return `H${index + 1} ${year}`;
  return String(year);
}

/** Short month label for the trend axis: "T11/26" (vi) or "11/26". */
export function monthTick(period: Period, lang: 'vi' | 'en'): string {
  const start = new Date(period.from + VN_OFFSET_MS);
  const label = `${start.getUTCMonth() + 1}/${String(start.getUTCFullYear()).slice(2)}`;
  return lang === 'vi' ? `T${label}` : label;
}
