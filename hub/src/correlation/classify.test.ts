import type { DeviceKind } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { type ClassifyOptions, classifyVillage, type VillageDeviceState } from './classify.ts';

const T = 1_800_000_000_000;
const opts: ClassifyOptions = { windowMs: 120_000, minDevices: 3, minFraction: 0.6 };

/** `id:kind[:parent]` with a state: `up`, `bat` (up on battery) or a drop offset in seconds. */
function dev(spec: string, state: 'up' | 'bat' | number): VillageDeviceState {
  const [id = '', kind, parent] = spec.split(':');
  const down = typeof state === 'number';
  return {
    id,
    kind: kind as DeviceKind,
    parentId: parent ?? null,
    down,
    downAt: down ? T + state * 1000 : null,
    onBattery: state === 'bat',
  };
}

const cases: Array<{
  name: string;
  devices: VillageDeviceState[];
  options?: Partial<ClassifyOptions>;
  cause: 'power_cut' | 'network_cut' | null;
  covered?: string[];
  lone: string[];
}> = [
  { name: 'all up', devices: [dev('w1:wifi', 'up'), dev('c1:camera', 'up')], cause: null, lone: [] },
  {
    name: 'lone wifi point down',
    devices: [dev('w1:wifi', 0), dev('w2:wifi', 'up'), dev('c1:camera', 'up'), dev('c2:camera', 'up')],
    cause: null,
    lone: ['w1'],
  },
  {
    name: 'mains devices drop, loudspeakers on battery: power cut by battery evidence',
    devices: [
      dev('w1:wifi', 0),
      dev('c1:camera', 5),
      dev('l1:loudspeaker', 'bat'),
      dev('l2:loudspeaker', 'bat'),
    ],
    cause: 'power_cut',
    covered: ['c1', 'l1', 'l2', 'w1'],
    lone: [],
  },
  {
    name: 'most of the village drops within the window, no battery report: power cut by mass drop',
    devices: [
      dev('w1:wifi', 0),
      dev('c1:camera', 10),
      dev('c2:camera', 30),
      dev('p1:pc', 60),
      dev('w2:wifi', 'up'),
    ],
    cause: 'power_cut',
    covered: ['c1', 'c2', 'p1', 'w1'],
    lone: [],
  },
  {
    name: 'drops spread over more than the window are lone failures',
    devices: [dev('w1:wifi', 0), dev('c1:camera', 600), dev('c2:camera', 1200), dev('p1:pc', 'up')],
    cause: null,
    lone: ['c1', 'c2', 'w1'],
  },
  {
    name: 'too few of the village dropped together: lone',
    devices: [
      dev('w1:wifi', 0),
      dev('c1:camera', 5),
      ...['a', 'b', 'c', 'd'].map((x) => dev(`${x}:pc`, 'up')),
    ],
    cause: null,
    lone: ['c1', 'w1'],
  },
  {
    name: 'gateway down with its three cameras: network cut, not power',
    devices: [
      dev('gw:gateway', 0),
      dev('c1:camera:gw', 2),
      dev('c2:camera:gw', 3),
      dev('c3:camera:gw', 4),
      dev('w1:wifi', 'up'),
      dev('l1:loudspeaker', 'up'),
    ],
    cause: 'network_cut',
    covered: ['c1', 'c2', 'c3', 'gw'],
    lone: [],
  },
  {
    name: 'gateway down while one camera behind it still reports: no network cut (gateway alone)',
    devices: [dev('gw:gateway', 0), dev('c1:camera:gw', 2), dev('c2:camera:gw', 'up'), dev('w1:wifi', 'up')],
    cause: null,
    lone: ['c1', 'gw'],
  },
  {
    name: 'gateway and everything else dropped together with battery reports: power cut wins',
    devices: [dev('gw:gateway', 0), dev('c1:camera:gw', 1), dev('w1:wifi', 2), dev('l1:loudspeaker', 'bat')],
    cause: 'power_cut',
    covered: ['c1', 'gw', 'l1', 'w1'],
    lone: [],
  },
  {
    name: 'an active cut keeps loudspeakers that dropped later, when their battery ran out',
    devices: [
      dev('w1:wifi', 0),
      dev('c1:camera', 1),
      dev('p1:pc', 2),
      dev('l1:loudspeaker', 7200),
      dev('l2:loudspeaker', 'bat'),
    ],
    options: { activeSince: T },
    cause: 'power_cut',
    covered: ['c1', 'l1', 'l2', 'p1', 'w1'],
    lone: [],
  },
  {
    name: 'a device down long before the cut stays a lone failure',
    devices: [dev('old:wifi', -86400), dev('w1:wifi', 0), dev('c1:camera', 1), dev('p1:pc', 2)],
    cause: 'power_cut',
    covered: ['c1', 'p1', 'w1'],
    lone: ['old'],
  },
  {
    name: 'power back for most: what is still down is lone',
    devices: [dev('w1:wifi', 0), dev('c1:camera', 'up'), dev('p1:pc', 'up'), dev('p2:pc', 'up')],
    cause: null,
    lone: ['w1'],
  },
];

describe('classifyVillage', () => {
  it.each(cases)('$name', ({ devices, options, cause, covered, lone }) => {
    const result = classifyVillage(devices, { ...opts, ...options });
    expect(result.outage?.cause ?? null).toBe(cause);
    if (covered) expect(result.outage?.deviceIds).toEqual(covered);
    expect(result.lone).toEqual(lone);
  });

  it('an outage starts at its earliest drop', () => {
    const r = classifyVillage([dev('w1:wifi', 10), dev('c1:camera', 0), dev('p1:pc', 20)], opts);
    expect(r.outage?.since).toBe(T);
  });
});
