import { describe, expect, it } from 'vitest';
import { makeDevice } from '../../test-fixtures.ts';
import { countStatuses, summarizeByKind } from './summarize.ts';

describe('summarizeByKind', () => {
  const devices = [
    makeDevice('w1', { kind: 'wifi', status: 'online' }),
    makeDevice('l1', { kind: 'loudspeaker', status: 'online' }),
    makeDevice('l2', { kind: 'loudspeaker', status: 'degraded' }),
    makeDevice('l3', { kind: 'loudspeaker', status: 'offline' }),
    makeDevice('l4', { kind: 'loudspeaker', status: 'unknown' }),
    makeDevice('c1', { kind: 'camera', status: 'maintenance' }),
  ];

  it('counts per kind in protocol order, degraded devices not counting as working', () => {
    const summary = summarizeByKind(devices);
    expect(summary.map((k) => k.kind)).toEqual(['loudspeaker', 'wifi', 'camera']);
    expect(summary[0]).toEqual({
      kind: 'loudspeaker',
      total: 4,
      working: 1,
      byStatus: { online: 1, degraded: 1, offline: 1, unknown: 1, maintenance: 0 },
    });
    expect(summary[1]).toMatchObject({ kind: 'wifi', total: 1, working: 1 });
    expect(summary[2]).toMatchObject({ kind: 'camera', total: 1, working: 0 });
  });

  it('is empty for no devices', () => {
    expect(summarizeByKind([])).toEqual([]);
  });

  it('counts statuses over all devices', () => {
    expect(countStatuses(devices)).toEqual({
      online: 2,
      degraded: 1,
      offline: 1,
      unknown: 1,
      maintenance: 1,
    });
  });
});
