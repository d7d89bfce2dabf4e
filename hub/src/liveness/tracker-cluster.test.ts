import { describe, expect, it } from 'vitest';
import { DeviceOwnership } from '../cluster/ownership.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import type { TransitionRow } from '../store/types.ts';
import { graceMsFor, LivenessTracker } from './tracker.ts';

const T0 = Date.UTC(2026, 0, 1);

function record(id: string): DeviceRecord {
  return {
    id,
    kind: 'wifi',
    name: id,
    village: 'Thôn 1',
    villageId: 'thon-1',
    siteId: null,
    parentId: null,
    tags: [],
    intervalS: 30,
    createdAt: T0,
    disabled: false,
    live: {
      status: 'unknown',
      since: T0,
      reason: 'provisioned',
      lastTs: null,
      lastSeq: null,
      metrics: {},
      faults: [],
    },
  };
}

/** Node "b" of a cluster whose other node is "a" (the leader while alive). Time moves by hand. */
function nodeB() {
  let now = T0;
  const alive = new Set(['a', 'b']);
  const ownership = new DeviceOwnership(
    'b',
    (id) => alive.has(id),
    () => [...alive].sort()[0]!,
  );
  const transitions: TransitionRow[] = [];
  const cuts: string[] = [];
  const records = new Map([['d1', record('d1')]]);
  const tracker = new LivenessTracker(
    { now: () => now },
    (id) => records.get(id),
    { onTransition: (t) => transitions.push(t), onChange: () => {}, onDisconnect: (id) => cuts.push(id) },
    1000,
    () => undefined,
    ownership,
  );
  tracker.start(records.values());
  return {
    tracker,
    ownership,
    transitions,
    cuts,
    alive,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('LivenessTracker in a cluster (only the node acting for a device records its transitions)', () => {
  it("follows node a's view of its device without deadline, and records nothing of its own", () => {
    const b = nodeB();
    b.ownership.assign('d1', 'a');
    b.tracker.applyRemote({
      ...b.tracker.get('d1')!,
      status: 'online',
      reason: 'heartbeat',
      since: T0,
      lastTs: T0,
      lastSeq: 7,
    });
    expect(b.tracker.get('d1')).toMatchObject({ status: 'online', lastSeq: 7, deadline: null });
    b.advance(10 * graceMsFor(30));
    b.tracker.sweep();
    b.tracker.disconnect('d1', false);
    b.tracker.disable('d1');
    b.tracker.parentDown(['d1']);
    expect(b.transitions).toEqual([]);
    expect(b.cuts).toEqual([]);
    expect(b.tracker.get('d1')!.status).toBe('online');
  });

  it('when node a dies, the leader gives its live devices a fresh grace, then times them out at its end', () => {
    const b = nodeB();
    b.ownership.assign('d1', 'a');
    b.tracker.applyRemote({ ...b.tracker.get('d1')!, status: 'online', reason: 'heartbeat', lastTs: T0 });
    b.advance(60_000);
    b.alive.delete('a');
    b.ownership.release('a');
    const diedAt = b.now();
    b.tracker.freshGrace(['d1']);
    expect(b.tracker.get('d1')!.deadline).toBe(diedAt + graceMsFor(30));
    b.advance(graceMsFor(30) - 1);
    b.tracker.sweep();
    expect(b.transitions).toEqual([]);
    b.advance(5000);
    b.tracker.sweep();
    expect(b.transitions).toMatchObject([
      { deviceId: 'd1', to: 'offline', reason: 'timeout', at: diedAt + graceMsFor(30) },
    ]);
  });

  it('a heartbeat taken here makes this node the one acting for the device', () => {
    const b = nodeB();
    b.ownership.assign('d1', 'a');
    expect(b.ownership.acts('d1')).toBe(false);
    b.tracker.heartbeat('d1', { ts: b.now(), seq: 1, st: 'ok', m: {}, faults: [] });
    expect(b.ownership.acts('d1')).toBe(true);
    expect(b.transitions).toMatchObject([{ to: 'online' }]);
  });
});
