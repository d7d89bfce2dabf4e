/**
 * Node leases on a real redis-server, time from a hand-moved clock: a node whose lease is older than the
 * lease time is dead for the others (once), a clean stop is a leave, and a node back under the same id with
 * a new start is a death too. No timer is waited for: renew() is called by hand.
 */

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeLeases } from '../../hub/src/cluster/leases.ts';
import { createLogger } from '../../hub/src/logger.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';

describe('node leases in Redis', () => {
  let redis: TestRedis;
  const conns: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of conns) c.disconnect();
    await redis.stop();
  });

  function node(id: string, clock: { now(): number }, dead: string[]) {
    const conn = new Redis(redis.url);
    conns.push(conn);
    return new NodeLeases(conn, id, 3000, clock, createLogger('silent'), (n) => dead.push(n));
  }

  it('says a node is dead once, when its lease is older than the lease time; the leader follows', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const deadSeenByA: string[] = [];
    const a = node('a', clock, deadSeenByA);
    const b = node('b', clock, []);
    await a.renew();
    await b.renew();
    await a.renew();
    expect(a.nodes().map((n) => [n.id, n.alive])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(b.leader()).toBe('a');
    now += 3000; // exactly the lease time: still alive
    await a.renew();
    expect(deadSeenByA).toEqual([]);
    now += 1;
    await a.renew();
    await a.renew();
    expect(deadSeenByA).toEqual(['b']);
    expect(a.nodes().find((n) => n.id === 'b')).toMatchObject({
      alive: false,
      stopped: false,
      leaseAt: 1_000_000,
    });
    // b comes back under the same id but with a new start: it was a death, already told; alive again.
    await b.renew();
    await a.renew();
    expect(a.isAlive('b')).toBe(true);
  });

  it('a clean stop is a leave the others see at once; a restart under the same id is a death', async () => {
    let now = 2_000_000;
    const clock = { now: () => now };
    const dead: string[] = [];
    const c = node('c', clock, dead);
    const d1 = node('d', clock, []);
    await d1.start();
    await c.start();
    await c.renew();
    expect(c.isAlive('d')).toBe(true);
    await d1.stop();
    await c.renew();
    expect(dead).toEqual(['d']);
    expect(c.nodes().find((n) => n.id === 'd')).toMatchObject({ alive: false, stopped: true });
    now += 10;
    const d2 = node('d', clock, []);
    await d2.start();
    await c.renew();
    expect(c.isAlive('d')).toBe(true);
    now += 10;
    const d3 = node('d', clock, []); // a crash and restart faster than the lease: a new start time
    await d3.start();
    await c.renew();
    expect(dead).toEqual(['d', 'd']);
    await Promise.all([c.stop(), d2.stop(), d3.stop()]);
  });
});
