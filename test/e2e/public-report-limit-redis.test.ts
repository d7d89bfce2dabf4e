/**
 * Issue 15 gap: the public report budget (HUB_PUBLIC_REPORTS_PER_HOUR) is one budget for the whole cluster
 * when HUB_CLUSTER_REDIS_URL is set, kept in a real redis-server (test/support/redis.ts). Two limiters play
 * two nodes; time is the injected ManualClock, never slept on. Then two real hub nodes on one Redis refuse
 * the report past the budget whichever node it reaches.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../hub/src/clock.ts';
import { FixedWindowLimiter, SharedFixedWindowLimiter } from '../../hub/src/public-status/rate-limit.ts';
import { type ClusterNode, clusterEnv, startNode, stopNode } from '../support/cluster-node.ts';
import { TEST_TOKEN } from '../support/hub.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 5, 30);

describe('SharedFixedWindowLimiter on a real Redis', () => {
  let redis: TestRedis;
  const conns: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    for (const c of conns) c.disconnect();
    await redis?.stop();
  });

  let prefixes = 0;
  /** Two nodes' limiters on one Redis (each its own connection, as each node has), sharing one prefix. */
  function nodes(limit: number) {
    const clock = new ManualClock(T0);
    const prefix = `test:${++prefixes}:`;
    const fallbacks: Error[] = [];
    const make = () => {
      const conn = new Redis(redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
      conn.on('error', () => {}); // the last test stops Redis on purpose: reconnect errors are expected
      conns.push(conn);
      return new SharedFixedWindowLimiter(
        conn,
        clock,
        limit,
        HOUR,
        new FixedWindowLimiter(clock, limit, HOUR),
        (err) => fallbacks.push(err),
        prefix,
      );
    };
    return { clock, a: make(), b: make(), fallbacks, prefix, conn: conns.at(-1)! };
  }

  it('two nodes spend one budget per address; the refusal says when the window ends', async () => {
    const { clock, a, b, fallbacks } = nodes(3);
    const allowed = [];
    for (const node of [a, b, a, b, a]) {
      allowed.push((await node.hit('203.0.113.7')).allowed);
      clock.advance(60_000);
    }
    expect(allowed).toEqual([true, true, true, false, false]);
    // The window began at the first hit (T0); five minutes of it are gone.
    expect(await b.hit('203.0.113.7')).toEqual({ allowed: false, retryAfterS: 55 * 60 });
    expect(fallbacks).toEqual([]);
  });

  it('addresses are counted apart, and a new window starts an hour after the first hit', async () => {
    const { clock, a, b } = nodes(2);
    expect((await a.hit('198.51.100.1')).allowed).toBe(true);
    expect((await b.hit('198.51.100.1')).allowed).toBe(true);
    expect((await a.hit('198.51.100.1')).allowed).toBe(false);
    expect((await b.hit('198.51.100.2')).allowed).toBe(true);
    clock.advance(HOUR - 1);
    expect((await b.hit('198.51.100.1')).allowed).toBe(false);
    clock.advance(1);
    expect(await b.hit('198.51.100.1')).toEqual({ allowed: true, retryAfterS: 3600 });
    expect((await a.hit('198.51.100.1')).allowed).toBe(true);
    expect((await a.hit('198.51.100.1')).allowed).toBe(false);
  });

  it('keeps no address as text, and every counter expires with its window', async () => {
    const { a, prefix, conn } = nodes(5);
    await a.hit('192.0.2.55');
    const keys = await conn.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain('192.0.2.55');
    expect(JSON.stringify(await conn.hgetall(keys[0]!))).not.toContain('192.0.2.55');
    const ttl = await conn.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HOUR);
  });

  it('when Redis does not answer, the node decides with its own budget and says so', async () => {
    const { a, fallbacks } = nodes(2);
    await redis.stop();
    const verdicts = [await a.hit('203.0.113.9'), await a.hit('203.0.113.9'), await a.hit('203.0.113.9')];
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, false]);
    expect(fallbacks.length).toBe(3);
  });
});

describe('two hub nodes on one Redis: one report budget per address for the cluster', () => {
  let redis: TestRedis;
  let a: ClusterNode;
  let b: ClusterNode;
  beforeAll(async () => {
    redis = await startRedis();
    const env = { ...(await clusterEnv(redis.url, 'creports')), HUB_PUBLIC_REPORTS_PER_HOUR: '3' };
    [a, b] = await Promise.all([startNode('reports-a', env), startNode('reports-b', env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([stopNode(a), stopNode(b)]);
    await redis?.stop();
  }, 60_000);

  const report = (node: ClusterNode, text: string) =>
    fetch(`${node.httpUrl}/api/public/status/wifi/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });

  it('three reports through A and B are taken; the fourth is refused on either node', async () => {
    const made = await fetch(`${a.httpUrl}/api/public-status/groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({
        slug: 'wifi',
        name: 'Wifi công cộng',
        selector: { kind: 'wifi' },
        published: true,
      }),
    });
    expect(made.status).toBe(201);
    const statuses = [];
    for (const [i, node] of [a, b, a, b, a].entries())
      statuses.push((await report(node, `mất wifi ${i}`)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const refused = await report(b, 'mất wifi lần nữa');
    expect((await refused.json()).code).toBe('HUB_ERR_RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
