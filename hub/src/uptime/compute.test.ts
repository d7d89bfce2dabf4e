import { describe, expect, it } from 'vitest';
import { computeUptime, type UptimeInput } from './compute.ts';

const S = 1000;
const base: UptimeInput = {
  window: { start: 0, end: 100 * S },
  createdAt: 0,
  covered: [],
  maintenance: [],
  hubRunning: [{ start: 0, end: 100 * S }],
};

// [name, input overrides, expected {up, down, unknown, maintenance} in seconds]
const cases: Array<[string, Partial<UptimeInput>, [number, number, number, number]]> = [
  ['never heard while the hub ran', {}, [0, 100, 0, 0]],
  ['fully covered', { covered: [{ start: 0, end: 100 * S }] }, [100, 0, 0, 0]],
  [
    'coverage beyond the window is clipped',
    {
      covered: [
        { start: -50 * S, end: 30 * S },
        { start: 90 * S, end: 200 * S },
      ],
    },
    [40, 60, 0, 0],
  ],
  [
    'overlapping coverage counts once',
    {
      covered: [
        { start: 0, end: 60 * S },
        { start: 40 * S, end: 80 * S },
      ],
    },
    [80, 20, 0, 0],
  ],
  [
    'hub down and nothing heard: unknown',
    {
      hubRunning: [
        { start: 0, end: 40 * S },
        { start: 50 * S, end: 100 * S },
      ],
    },
    [0, 90, 10, 0],
  ],
  [
    'hub down but late heartbeats cover it: up',
    {
      covered: [{ start: 0, end: 100 * S }],
      hubRunning: [
        { start: 0, end: 40 * S },
        { start: 50 * S, end: 100 * S },
      ],
    },
    [100, 0, 0, 0],
  ],
  [
    'maintenance is excluded first',
    { covered: [{ start: 0, end: 50 * S }], maintenance: [{ start: 40 * S, end: 60 * S }] },
    [40, 40, 0, 20],
  ],
  [
    'time before provisioning is not counted',
    { createdAt: 70 * S, covered: [{ start: 80 * S, end: 100 * S }] },
    [20, 10, 0, 0],
  ],
  ['device created after the window', { createdAt: 200 * S }, [0, 0, 0, 0]],
];

describe('computeUptime', () => {
  it.each(cases)('%s', (_name, overrides, [up, down, unknown, maintenance]) => {
    const r = computeUptime({ ...base, ...overrides });
    expect([r.up_s, r.down_s, r.unknown_s, r.maintenance_s]).toEqual([up, down, unknown, maintenance]);
    expect(r.ratio).toBe(up + down > 0 ? up / (up + down) : null);
  });
});
