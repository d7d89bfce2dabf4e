import { describe, expect, it } from 'vitest';
import { AuthGuard } from './auth-guard.ts';
import { HashLanes } from './hash-lanes.ts';

/** A secret check the test finishes by hand (stands in for scrypt on the thread pool). */
function deferred() {
  let finish!: (ok: boolean) => void;
  const promise = new Promise<boolean>((resolve) => {
    finish = resolve;
  });
  return { promise, finish };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('hash lanes (issue 14, finding 4: storm hashes do not queue ahead of a real device)', () => {
  it('runs a clean check at once while suspect ones wait their turn, one at a time', async () => {
    const lanes = new HashLanes({ concurrency: 1, queueMax: 100 });
    const started: string[] = [];
    const checks = new Map<string, ReturnType<typeof deferred>>();
    const check = (name: string) => () => {
      started.push(name);
      const d = deferred();
      checks.set(name, d);
      return d.promise;
    };
    // 40 storm hashes arrive first (the code before sent them all to libuv's four threads at once).
    const storm = Array.from({ length: 40 }, (_, i) => lanes.run(true, check(`storm-${i}`)));
    expect(started).toEqual(['storm-0']);
    expect(lanes.stats).toMatchObject({ suspect: 40, running: 1, waiting: 39 });
    // A real device's first secret: started now, not behind the 39 waiting.
    const real = lanes.run(false, check('real'));
    expect(started).toEqual(['storm-0', 'real']);
    checks.get('real')!.finish(true);
    expect(await real).toBe(true);
    // The suspect lane moves on as each check finishes, in arrival order.
    checks.get('storm-0')!.finish(false);
    await flush();
    expect(started).toEqual(['storm-0', 'real', 'storm-1']);
    for (let i = 1; i < 40; i++) {
      checks.get(`storm-${i}`)!.finish(false);
      await flush();
    }
    expect(await Promise.all(storm)).toEqual(Array(40).fill(false));
    expect(lanes.stats).toEqual({ clean: 1, suspect: 40, running: 0, waiting: 0 });
  });

  it('says when the suspect queue is full, and a failed check frees its place', async () => {
    const lanes = new HashLanes({ concurrency: 2, queueMax: 3 });
    const pending = Array.from({ length: 5 }, () => deferred());
    const runs = pending.map((d) => lanes.run(true, () => d.promise));
    expect(lanes.suspectFull).toBe(true);
    expect(lanes.stats).toMatchObject({ running: 2, waiting: 3 });
    // A check that throws (the store failed) rejects its caller and lets the next one start.
    const failing = lanes.run(true, () => Promise.reject(new Error('store down')));
    pending[0]!.finish(false);
    await flush();
    expect(lanes.suspectFull).toBe(true);
    pending[1]!.finish(false);
    await flush();
    expect(lanes.suspectFull).toBe(false);
    for (const d of pending) d.finish(false);
    await expect(failing).rejects.toThrow('store down');
    await Promise.all(runs);
    expect(lanes.stats).toMatchObject({ running: 0, waiting: 0 });
  });
});

describe('which hashes are suspect', () => {
  it("a device's first secret is clean; a failed id, an id already hashing or a failed address is suspect", () => {
    const guard = new AuthGuard({ perId: 5, perAddress: 20, backoffMaxMs: 4000, forgetAfterMs: 60_000 });
    let t = 0;
    expect(guard.suspect('real-1', 'nat', t)).toBe(false);
    guard.started('storm-1', 'ip1', t);
    expect(guard.suspect('storm-1', 'ip2', t)).toBe(true); // another hash for the id is running
    guard.settled('storm-1', 'ip1', false, t);
    expect(guard.suspect('storm-1', 'ip9', t)).toBe(true); // the id failed
    expect(guard.suspect('real-2', 'ip1', t)).toBe(true); // the address failed
    // Hashes in flight from one address are not suspect: many real devices behind one NAT after a restart.
    guard.started('real-3', 'nat', t);
    expect(guard.suspect('real-4', 'nat', t)).toBe(false);
    guard.settled('real-3', 'nat', true, t);
    // The right secret clears the id (not the address); a quiet minute forgives both.
    guard.started('storm-1', 'ip3', t);
    guard.settled('storm-1', 'ip3', true, t);
    expect(guard.suspect('storm-1', 'ip3', t)).toBe(false);
    expect(guard.suspect('real-2', 'ip1', t)).toBe(true);
    t += 60_001;
    expect(guard.suspect('real-2', 'ip1', t)).toBe(false);
  });
});
