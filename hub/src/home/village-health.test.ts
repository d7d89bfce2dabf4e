import type { DeviceView } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLASSIFY_OPTIONS } from '../correlation/index.ts';
import { villageHealth } from './village-health.ts';

const T = Date.parse('2026-11-30T00:42:00Z');
type Row = Parameters<typeof villageHealth>[0][number];

function dev(id: string, village: string, over: Partial<DeviceView> = {}): Row {
  return {
    id,
    kind: 'wifi',
    parent: null,
    status: 'online',
    since: new Date(T - 3_600_000).toISOString(),
    metrics: {},
    village,
    villageId: village.toLowerCase().replace(/\s+/g, '-'),
    communeId: 'hoang-kim',
    disabled: false,
    ...over,
  };
}
const down = (atMs: number) => ({ status: 'offline' as const, since: new Date(atMs).toISOString() });

describe('villageHealth', () => {
  const cases: Array<{ name: string; devices: Row[]; expect: Record<string, string | null> }> = [
    {
      name: 'all up: no outage',
      devices: [dev('a', 'Thôn 1'), dev('b', 'Thôn 1'), dev('c', 'Thôn 1')],
      expect: { 'thôn-1': null },
    },
    {
      name: 'three of four drop within a minute: nghi mất điện (mass drop)',
      devices: [
        dev('a', 'Thôn 3', down(T)),
        dev('b', 'Thôn 3', down(T + 20_000)),
        dev('c', 'Thôn 3', down(T + 50_000)),
        dev('d', 'Thôn 3'),
        dev('x', 'Thôn 1'),
      ],
      expect: { 'thôn-3': 'power_cut', 'thôn-1': null },
    },
    {
      name: 'a loudspeaker on battery and one drop: power cut',
      devices: [
        dev('l', 'Thôn 2', { kind: 'loudspeaker', metrics: { powerSource: 'battery' } }),
        dev('w', 'Thôn 2', down(T)),
        dev('c', 'Thôn 2'),
      ],
      expect: { 'thôn-2': 'power_cut' },
    },
    {
      name: 'a gateway down with all its children: nghi mất mạng',
      devices: [
        dev('gw', 'Thôn 5', { kind: 'gateway', ...down(T) }),
        dev('c1', 'Thôn 5', { parent: 'gw', ...down(T + 1000) }),
        dev('c2', 'Thôn 5', { parent: 'gw', ...down(T + 2000) }),
        dev('other', 'Thôn 5'),
        dev('other2', 'Thôn 5'),
      ],
      expect: { 'thôn-5': 'network_cut' },
    },
    {
      name: 'drops an hour apart are lone failures',
      devices: [
        dev('a', 'Thôn 4', down(T)),
        dev('b', 'Thôn 4', down(T + 3_600_000)),
        dev('c', 'Thôn 4', down(T + 7_200_000)),
      ],
      expect: { 'thôn-4': null },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rows = villageHealth(c.devices, DEFAULT_CLASSIFY_OPTIONS);
      expect(Object.fromEntries(rows.map((r) => [r.villageId, r.outage?.cause ?? null]))).toEqual(c.expect);
    });
  }

  it('counts degraded apart from working, sorts the village with an outage first, leaves disabled out', () => {
    const rows = villageHealth(
      [
        dev('a', 'An Phú'),
        dev('b', 'An Phú', { status: 'degraded' }),
        dev('z', 'An Phú', { disabled: true, ...down(T) }),
        dev('p1', 'Thôn 9', down(T)),
        dev('p2', 'Thôn 9', down(T + 1000)),
        dev('p3', 'Thôn 9', down(T + 2000)),
      ],
      DEFAULT_CLASSIFY_OPTIONS,
    );
    expect(rows.map((r) => r.village)).toEqual(['Thôn 9', 'An Phú']);
    expect(rows[0]).toMatchObject({
      total: 3,
      working: 0,
      offline: 3,
      outage: { since: new Date(T).toISOString() },
    });
    expect(rows[1]).toMatchObject({ total: 2, working: 1, degraded: 1, offline: 0, outage: null });
  });
});
