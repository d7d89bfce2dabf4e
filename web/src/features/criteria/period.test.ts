import { describe, expect, it } from 'vitest';
import {
  evaluationRange,
  lastMonths,
  parsePeriodKey,
  periodContaining,
  periodLabel,
  shiftPeriod,
} from './period.ts';

// 30 Nov 2026 20:00 UTC is 1 Dec 2026 03:00 in Hanoi.
const LATE_NOV_UTC = Date.UTC(2026, 10, 30, 20);

describe('periods in Vietnam time', () => {
  it.each([
    ['month', '2026-12', '2026-11-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z'],
    ['quarter', '2026-Q4', '2026-09-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z'],
    ['half', '2026-H2', '2026-06-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z'],
    ['year', '2026', '2025-12-31T17:00:00.000Z', '2026-12-31T17:00:00.000Z'],
  ] as const)('%s containing the instant', (kind, key, from, to) => {
    const p = periodContaining(kind, LATE_NOV_UTC);
    expect(p.key).toBe(key);
    expect(new Date(p.from).toISOString()).toBe(from);
    expect(new Date(p.to).toISOString()).toBe(to);
    expect(parsePeriodKey(key)).toEqual(p);
  });

  it.each(['2026-13', '2026-Q5', '2026-H3', '26', 'x', '2026-00'])('refuses the key %j', (key) => {
    expect(parsePeriodKey(key)).toBeNull();
  });

  it('steps across years', () => {
    expect(shiftPeriod(parsePeriodKey('2026-01')!, -1).key).toBe('2025-12');
    expect(shiftPeriod(parsePeriodKey('2026-Q4')!, 1).key).toBe('2027-Q1');
    expect(shiftPeriod(parsePeriodKey('2026-H1')!, -1).key).toBe('2025-H2');
  });

  it('gives twelve months, oldest first', () => {
    const months = lastMonths(Date.UTC(2026, 10, 15), 12);
    expect(months.map((m) => m.key)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
  });

  it('evaluates a running period up to now', () => {
    const p = parsePeriodKey('2026-11')!;
    expect(evaluationRange(p, Date.UTC(2026, 10, 15))).toEqual({ from: p.from, to: Date.UTC(2026, 10, 15) });
    expect(evaluationRange(p, Date.UTC(2027, 0, 1))).toEqual({ from: p.from, to: p.to });
  });

  it('names periods as a commune writes them', () => {
    expect(periodLabel(parsePeriodKey('2026-11')!, 'vi')).toBe('Tháng 11/2026');
    expect(periodLabel(parsePeriodKey('2026-Q4')!, 'vi')).toBe('Quý IV/2026');
    expect(periodLabel(parsePeriodKey('2026-H1')!, 'vi')).toBe('6 tháng đầu năm 2026');
    expect(periodLabel(parsePeriodKey('2026')!, 'vi')).toBe('Năm 2026');
  });
});
