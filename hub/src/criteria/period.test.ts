import { describe, expect, it } from 'vitest';
import { HubError } from '../errors.ts';
import { namedPeriod, resolvePeriod, trailingMonths } from './period.ts';

const now = Date.parse('2026-11-30T20:00:00Z'); // 1 Dec 2026, 03:00 in Vietnam

describe('periods in Vietnam time', () => {
  const cases: Array<[string, string, string, string]> = [
    ['2026-11', '2026-10-31T17:00:00.000Z', '2026-11-30T17:00:00.000Z', 'Tháng 11/2026'],
    ['2026-Q3', '2026-06-30T17:00:00.000Z', '2026-09-30T17:00:00.000Z', 'Quý III/2026'],
    ['2026-H2', '2026-06-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z', '6 tháng cuối năm 2026'],
    ['2025', '2024-12-31T17:00:00.000Z', '2025-12-31T17:00:00.000Z', 'Năm 2025'],
  ];
  for (const [name, from, to, label] of cases) {
    it(name, () => {
      const p = namedPeriod(name);
      expect([new Date(p.from).toISOString(), new Date(p.to).toISOString(), p.label]).toEqual([
        from,
        to,
        label,
      ]);
    });
  }

  it('defaults to the current local month', () => {
    expect(resolvePeriod({}, now).label).toBe('Tháng 12/2026');
  });

  it('custom periods: from ≤ to, at most 5 years', () => {
    expect(
      resolvePeriod({ from: '2026-03-01T00:00:00+07:00', to: '2026-04-16T00:00:00+07:00' }, now).label,
    ).toBe('01/03/2026 – 15/04/2026');
    const bad = [
      { from: '2026-04-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
      { from: '2019-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      { from: 'hôm qua' },
      { period: '2026', from: '2026-01-01T00:00:00Z' },
      { period: '2026-13' },
    ];
    for (const q of bad) {
      expect(() => resolvePeriod(q, now), JSON.stringify(q)).toThrow(HubError);
      try {
        resolvePeriod(q, now);
      } catch (err) {
        expect((err as HubError).code).toBe('HUB_ERR_BAD_TIME_RANGE');
      }
    }
  });

  it('trailing months, oldest first, across a year boundary', () => {
    expect(trailingMonths(3, now, '2026-02').map((p) => p.label)).toEqual([
      'Tháng 12/2025',
      'Tháng 1/2026',
      'Tháng 2/2026',
    ]);
    expect(trailingMonths(12, now)).toHaveLength(12);
  });
});
