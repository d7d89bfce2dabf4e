import { createRequire } from 'node:module';
import type { AlertSchedule, HolidayDay, WeeklySpan } from '@commune-hub/protocol';
import type HolidaysClass from 'date-holidays';
import { HubError } from '../errors.ts';

/**
 * Working time of a schedule: weekly office hours in Asia/Ho_Chi_Minh (UTC+7 all year, no DST, so the
 * local wall clock is a fixed offset), off on Vietnamese public holidays from `date-holidays` (which
 * computes the lunar ones: Tết Nguyên Đán, Giỗ Tổ Hùng Vương), plus days off and make-up working days
 * (ngày làm bù) given as data, because the government fixes those each year.
 */

const VN_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86400_000;

/** Minutes since local midnight of "HH:MM" ("24:00" = 1440). */
export function minutesOf(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Local calendar day ("YYYY-MM-DD") and ISO weekday (1 = Monday) of an instant. */
export function localDay(at: number): { date: string; weekday: number; minute: number; midnight: number } {
  const local = new Date(at + VN_OFFSET_MS);
  const date = local.toISOString().slice(0, 10);
  const weekday = ((local.getUTCDay() + 6) % 7) + 1;
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - VN_OFFSET_MS;
  return { date, weekday, minute, midnight };
}

const yearCache = new Map<number, HolidayDay[]>();

/**
 * date-holidays carries every country's rules (~27 MiB once loaded): required on the first holiday
 * question, i.e. only by a hub whose alert schedules use public holidays (issue 15). Synchronous, because
 * the schedule's questions are.
 */
let Holidays: typeof HolidaysClass | undefined;
function holidaysClass(): typeof HolidaysClass {
  Holidays ??= createRequire(import.meta.url)('date-holidays') as typeof HolidaysClass;
  return Holidays;
}

/**
 * Public holidays of Vietnam in a year (type `public` of date-holidays). The library lists Tết as the eve
 * and the first day; the Labour Code (2019, art. 112) gives five days, of which mùng 2 and mùng 3 always
 * follow, so those two are added here; the fifth day (before the eve or mùng 4) is set yearly: add it
 * as a day off in the schedule.
 */
export function vietnamHolidays(year: number): HolidayDay[] {
  const cached = yearCache.get(year);
  if (cached) return cached;
  const hd = new (holidaysClass())('VN');
  const out: HolidayDay[] = [];
  for (const h of hd.getHolidays(year) ?? []) {
    if (h.type !== 'public') continue;
    const date = h.date.slice(0, 10);
    out.push({ date, name: h.name, type: 'public' });
    if (/^Tết Nguyên Đán$/i.test(h.name)) {
      for (const [n, label] of [
        [1, 'mùng 2'],
        [2, 'mùng 3'],
      ] as const) {
        const next = new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
        out.push({ date: next, name: `Tết Nguyên Đán (${label})`, type: 'public' });
      }
    }
  }
  yearCache.set(year, out);
  return out;
}

/** Every special day of a year for a schedule: public holidays (if used), days off, make-up working days. */
export function specialDays(
  schedule: Pick<AlertSchedule, 'publicHolidays' | 'daysOff' | 'workingDays'>,
  year: number,
): HolidayDay[] {
  const out = schedule.publicHolidays ? [...vietnamHolidays(year)] : [];
  for (const d of schedule.daysOff)
    if (d.startsWith(`${year}-`)) out.push({ date: d, name: 'Ngày nghỉ', type: 'day_off' });
  for (const d of schedule.workingDays)
    if (d.startsWith(`${year}-`)) out.push({ date: d, name: 'Ngày làm bù', type: 'working_day' });
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/** Working spans (minutes of the local day) of one calendar day. */
export function spansOfDay(schedule: AlertSchedule, at: number): Array<{ from: number; to: number }> {
  const { date, weekday } = localDay(at);
  const weekly = (day: number) =>
    schedule.hours
      .filter((s) => s.days.includes(day))
      .map((s) => ({ from: minutesOf(s.from), to: minutesOf(s.to) }));
  if (schedule.workingDays.includes(date)) {
    return schedule.workingDayHours
      ? schedule.workingDayHours.map((s) => ({ from: minutesOf(s.from), to: minutesOf(s.to) }))
      : weekly(1);
  }
  if (schedule.daysOff.includes(date)) return [];
  if (schedule.publicHolidays && vietnamHolidays(Number(date.slice(0, 4))).some((h) => h.date === date))
    return [];
  return weekly(weekday);
}

export function isWorkingTime(schedule: AlertSchedule, at: number): boolean {
  const { minute } = localDay(at);
  return spansOfDay(schedule, at).some((s) => minute >= s.from && minute < s.to);
}

/** The first instant ≥ `at` inside working time, or null if none within 400 days. */
export function nextWorkingStart(schedule: AlertSchedule, at: number): number | null {
  if (isWorkingTime(schedule, at)) return at;
  const { midnight, minute } = localDay(at);
  for (let d = 0; d < 400; d++) {
    const dayStart = midnight + d * DAY_MS;
    const spans = spansOfDay(schedule, dayStart + 12 * 3600_000).sort((a, b) => a.from - b.from);
    for (const s of spans) {
      if (d === 0 && s.from <= minute) continue;
      return dayStart + s.from * 60_000;
    }
  }
  return null;
}

/** Refuses inverted or overlapping hours, naming the field (`hours[1]`), with HUB_ERR_VALIDATION. */
export function validateHours(hours: readonly WeeklySpan[], field = 'hours'): void {
  const byDay = new Map<number, Array<{ from: number; to: number; i: number }>>();
  hours.forEach((span, i) => {
    const from = minutesOf(span.from);
    const to = minutesOf(span.to);
    if (from >= to)
      throw new HubError(
        'HUB_ERR_VALIDATION',
        `${field}[${i}]: from ${span.from} is not before to ${span.to}`,
      );
    if (new Set(span.days).size !== span.days.length)
      throw new HubError('HUB_ERR_VALIDATION', `${field}[${i}].days: a day is listed twice`);
    for (const day of span.days) {
      const list = byDay.get(day) ?? [];
      for (const other of list) {
        if (from < other.to && other.from < to)
          throw new HubError(
            'HUB_ERR_VALIDATION',
            `${field}[${i}]: overlaps ${field}[${other.i}] on day ${day} (${span.from}-${span.to})`,
          );
      }
      list.push({ from, to, i });
      byDay.set(day, list);
    }
  });
}

export function validateDays(days: readonly string[], field: string): void {
  days.forEach((d, i) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== d)
      throw new HubError('HUB_ERR_VALIDATION', `${field}[${i}]: ${d} is not a calendar day`);
  });
}
