import type { DeviceView, VillageHealth } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { groupProblems } from './problems.ts';

const T = Date.parse('2026-11-30T00:42:00Z');
function dev(id: string, villageId: string, status: DeviceView['status'], sinceMin = 0): DeviceView {
  return {
    id,
    kind: 'wifi',
    name: id,
    village: `Thôn ${villageId}`,
    villageId,
    communeId: null,
    site: null,
    parent: null,
    tags: [],
    disabled: false,
    intervalS: 30,
    status,
    reason: 'timeout',
    since: new Date(T + sinceMin * 60_000).toISOString(),
    lastSeen: null,
    lastSeq: null,
    metrics: {},
    faults: [],
    createdAt: new Date(T).toISOString(),
  };
}
const health = (villageId: string, cause: 'power_cut' | 'network_cut' | null, sinceMin = 0) =>
  ({
    villageId,
    outage: cause
      ? {
          cause,
          since: new Date(T + sinceMin * 60_000).toISOString(),
          deviceIds: [],
          evidence: 'mass_drop',
          gatewayId: null,
        }
      : null,
  }) as VillageHealth;

describe('groupProblems', () => {
  const cases: Array<{ name: string; devices: DeviceView[]; health: VillageHealth[]; order: string[] }> = [
    { name: 'nothing broken', devices: [dev('a', '1', 'online')], health: [], order: [] },
    {
      name: 'most devices down first when no outage',
      devices: [dev('a', '1', 'offline'), dev('b', '2', 'offline'), dev('c', '2', 'degraded')],
      health: [],
      order: ['2:b,c', '1:a'],
    },
    {
      name: 'a village with a power cut comes first even with fewer devices down',
      devices: [dev('a', '1', 'offline'), dev('b', '1', 'offline'), dev('c', '3', 'offline')],
      health: [health('3', 'power_cut')],
      order: ['3:c', '1:a,b'],
    },
    {
      name: 'offline before degraded, longest down first; maintenance and unknown are not problems',
      devices: [
        dev('new', '1', 'offline', 10),
        dev('deg', '1', 'degraded', -50),
        dev('old', '1', 'offline', -30),
        dev('m', '1', 'maintenance'),
        dev('u', '1', 'unknown'),
      ],
      health: [],
      order: ['1:old,new,deg'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = groupProblems(c.devices, c.health).map(
        (g) => `${g.villageId}:${g.devices.map((d) => d.id).join(',')}`,
      );
      expect(got).toEqual(c.order);
    });
  }
});
