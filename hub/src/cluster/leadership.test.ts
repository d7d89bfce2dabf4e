// Leadership on a fake clock: takes the lead after settling between two readings of the leases as the
// smallest living id, steps down at once when a smaller node is alive or the leases could not be read.
import { describe, expect, it } from 'vitest';
import { Leadership, type LeaseView } from './leadership.ts';

/** Records what a logger was given (the leadership's one warn line per change). */
function recordingLog() {
  const lines: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  const log = {
    warn: (fields: Record<string, unknown>, msg: string) => lines.push({ fields, msg }),
    error: () => {},
  };
  return { lines, log: log as never };
}

describe('Leadership', () => {
  it('a sole node leads from the start', () => {
    expect(Leadership.sole().isLeader).toBe(true);
  });

  it('leads once two readings settleMs apart show it smallest; steps down at once; the log names node and reason', () => {
    let now = 0;
    let view: LeaseView = { leader: 'a', readAt: 0 };
    const seen: boolean[] = [];
    const { lines, log } = recordingLog();
    const l = new Leadership({
      nodeId: 'a',
      view: () => view,
      clock: { now: () => now },
      settleMs: 1500,
      leaseMs: 3000,
      log,
    });
    l.onChange((v) => seen.push(v));
    // [time, leader read, read at, leading after the check]
    const steps: Array<[number, string, number, boolean]> = [
      [0, 'a', 0, false],
      [1000, 'a', 1000, false],
      [1400, 'a', 1000, false], // settled on the clock, but the last reading is not settleMs after the first
      [1500, 'a', 1500, true],
      [2000, '0', 2000, false], // a smaller node is alive: step down at once
      [2500, 'a', 2500, false], // it died: settle again before leading
      [3999, 'a', 3999, false],
      [4000, 'a', 4000, true],
      [6999, 'a', 4000, true], // readings stalled, not yet for leaseMs
      [7000, 'a', 4000, false], // no reading for leaseMs: the others count this node dead
      [7100, 'a', 7100, false], // readings again: settle again
      [8600, 'a', 8600, true],
    ];
    for (const [at, leader, readAt, leading] of steps) {
      now = at;
      view = { leader, readAt };
      l.check();
      expect([at, l.isLeader]).toEqual([at, leading]);
    }
    expect(seen).toEqual([true, false, true, false, true]);
    expect(lines.map((x) => x.msg)).toEqual([
      'node a is now the leader (settled)',
      'node a is no longer the leader (smaller node alive)',
      'node a is now the leader (settled)',
      'node a is no longer the leader (lease lost)',
      'node a is now the leader (settled)',
    ]);
    expect(lines[1]!.fields).toMatchObject({
      node: 'a',
      leading: false,
      reason: 'smaller node alive',
      leader: '0',
    });
  });

  /**
   * Two nodes starting together, as HUB_WORKERS=2 does, with the leases in one shared table: each node
   * renews (writes its lease and reads everyone's) every `renewMs` and checks every 250 ms. Node b is
   * ready first; node a (the smaller id) writes its first lease just after b's reading at 1000. On the
   * clock alone b led at 1500 on that reading and stepped down at its next one (2000): the startup pair.
   * Now b never leads, a leads once, and at no instant do two nodes lead.
   */
  it('two nodes starting together: the larger id never leads on a stale reading, and never two at once', () => {
    const renewMs = 1000;
    const settleMs = renewMs + 500;
    let now = 0;
    const leases = new Map<string, number>();
    const nodes = [
      { id: 'b', startAt: 0 },
      { id: 'a', startAt: 1100 },
    ].map(({ id, startAt }) => {
      const state = { startAt, view: { leader: id, readAt: Number.NEGATIVE_INFINITY } as LeaseView };
      const { lines, log } = recordingLog();
      const leadership = new Leadership({
        nodeId: id,
        view: () => state.view,
        clock: { now: () => now },
        settleMs,
        leaseMs: 3 * renewMs,
        log,
      });
      return { id, state, leadership, lines };
    });
    const renew = (node: (typeof nodes)[number]) => {
      leases.set(node.id, now);
      const alive = [...leases].filter(([, at]) => now - at <= 3 * renewMs).map(([id]) => id);
      node.state.view = { leader: alive.sort()[0]!, readAt: now };
    };
    let overlap = 0;
    for (now = 0; now <= 10_000; now += 50) {
      for (const node of nodes) {
        const since = now - node.state.startAt;
        if (since >= 0 && since % renewMs === 0) renew(node);
        if (since >= 0 && since % 250 === 0) node.leadership.check();
      }
      if (nodes.filter((n) => n.leadership.isLeader).length > 1) overlap++;
    }
    expect(overlap).toBe(0);
    const [b, a] = nodes;
    expect(b!.lines).toEqual([]);
    expect(a!.lines.map((x) => x.msg)).toEqual(['node a is now the leader (settled)']);
    expect(a!.leadership.isLeader).toBe(true);
  });
});
