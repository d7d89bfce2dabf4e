import { describe, expect, it } from 'vitest';
import { cellState } from './cells.ts';
import { readUptimeView } from './urlState.ts';

const f = (up_s: number, down_s: number, unknown_s = 0, maintenance_s = 0) => ({
  up_s,
  down_s,
  unknown_s,
  maintenance_s,
  ratio: up_s + down_s > 0 ? up_s / (up_s + down_s) : null,
});

describe('cellState', () => {
  it.each([
    [f(3600, 0), 'up'],
    [f(3598.7, 1.3), 'partial'],
    [f(0, 3600), 'down'],
    [f(0, 0, 3600), 'unknown'],
    [f(0, 0, 1800, 1800), 'maintenance'],
    [f(0, 0), 'none'],
  ] as const)('%o is %s', (figures, state) => {
    expect(cellState(figures)).toBe(state);
  });
});

describe('readUptimeView', () => {
  const now = Date.UTC(2026, 10, 30, 12); // 30/11/2026 19:00 in Vietnam
  it('defaults to the current month in Vietnam time, daily cells', () => {
    const v = readUptimeView(new URLSearchParams(), now);
    expect(v.period.key).toBe('2026-11');
    expect(v.period.from).toBe(Date.UTC(2026, 9, 31, 17));
    expect(v.bucket).toBe('day');
  });
  it('reads October, a kind and hourly cells from the URL', () => {
    const v = readUptimeView(new URLSearchParams('ky=2026-10&loai=camera&o=gio&thon=Thôn 3'), now);
    expect(v).toMatchObject({ kind: 'camera', village: 'Thôn 3', bucket: 'hour' });
    expect(v.period.from).toBe(Date.UTC(2026, 8, 30, 17));
    expect(v.period.to).toBe(Date.UTC(2026, 9, 31, 17));
  });
  it('ignores a bad kind, a half-year and hourly cells over a quarter', () => {
    expect(readUptimeView(new URLSearchParams('loai=toaster'), now).kind).toBeNull();
    expect(readUptimeView(new URLSearchParams('ky=2026-H2'), now).period.key).toBe('2026-11');
    expect(readUptimeView(new URLSearchParams('ky=2026-Q4&o=gio'), now).bucket).toBe('day');
  });
});
