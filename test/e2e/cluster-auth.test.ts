/**
 * Two hub nodes (each its own process) on one Redis and one PostgreSQL database (HUB_DB=postgres): the
 * people's side of a cluster. Sign in through node A, and the session cookie and a personal API token
 * work on node B; a device provisioned through B with that token is on A; a logout or a revoke on one
 * node is refused on the other; an audit entry written on one is listed on the other; public status
 * groups are the same on both; and failed sign-ins spread over both nodes are counted together and lock
 * the name on both. Nothing here asserts how fast anything was.
 */
import { CSRF_HEADER } from '@commune-hub/protocol';
import pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterNode, clusterEnv, startNode, stopNode } from '../support/cluster-node.ts';
import { TEST_TOKEN } from '../support/hub.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';

const ADMIN = { username: 'admin', password: 'test-admin-password' };

interface Caller {
  cookie?: string;
  csrf?: string | null;
  token?: string;
}

async function call(node: ClusterNode, method: string, url: string, who: Caller, body?: unknown) {
  const headers: Record<string, string> = {};
  if (who.cookie) headers.cookie = who.cookie;
  if (who.csrf) headers[CSRF_HEADER] = who.csrf;
  if (who.token) headers.authorization = `Bearer ${who.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${node.httpUrl}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function login(node: ClusterNode, username: string, password: string) {
  const res = await fetch(`${node.httpUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { csrfToken?: string | null };
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  return { status: res.status, retryAfter: res.headers.get('retry-after'), cookie, csrf: body.csrfToken };
}

describe('two hub nodes share users, sessions, API tokens, the audit log, lockouts and public status', () => {
  let redis: TestRedis;
  let env: Record<string, string>;
  let a: ClusterNode;
  let b: ClusterNode;

  beforeAll(async () => {
    redis = await startRedis();
    env = await clusterEnv(redis.url, 'cauth');
    // Started together: both create the first admin at once (one wins, the other uses it).
    [a, b] = await Promise.all([startNode('auth-a', env), startNode('auth-b', env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopNode(a), stopNode(b)]);
    await redis?.stop();
  }, 60_000);

  it('a session opened on A works on B, a token made on A provisions through B, logout and revoke hold on both', async () => {
    const session = await login(a, ADMIN.username, ADMIN.password);
    expect(session.status).toBe(200);
    const browser: Caller = { cookie: session.cookie, csrf: session.csrf };
    expect((await call(b, 'GET', '/api/session/me', browser)).body).toMatchObject({
      user: { username: 'admin' },
    });

    // A personal API token created through A (a CSRF-checked write of the session) works on B.
    const created = await call(a, 'POST', '/api/tokens', browser, { name: 'script' });
    expect(created.status).toBe(201);
    const script: Caller = { token: created.body.token };
    const device = await call(b, 'POST', '/api/devices', script, {
      id: 'wifi-cho',
      kind: 'wifi',
      name: 'Wifi chợ',
      village: 'Thôn 1',
    });
    expect(device.status).toBe(201);
    await expect
      .poll(async () => (await call(a, 'GET', '/api/devices', script)).body?.map((d: { id: string }) => d.id))
      .toContain('wifi-cho');

    // The audit entries of writes on A and on B are listed on either node.
    for (const node of [a, b]) {
      const audit = await call(node, 'GET', '/api/audit?limit=50', script);
      const routes = (audit.body.entries as Array<{ route: string }>).map((e) => e.route);
      expect(routes).toEqual(expect.arrayContaining(['sessionCreate', 'tokenCreate', 'deviceCreate']));
    }

    // Revoked through B's session copy: refused on A at once.
    const revoked = await call(b, 'DELETE', `/api/tokens/${created.body.info.id}`, browser);
    expect(revoked.status).toBe(204);
    expect((await call(a, 'GET', '/api/devices', script)).status).toBe(401);
    expect((await call(b, 'GET', '/api/devices', script)).status).toBe(401);

    // Signed out on A: the cookie is refused on B.
    expect((await call(a, 'DELETE', '/api/session', browser)).status).toBe(204);
    expect((await call(b, 'GET', '/api/session/me', browser)).status).toBe(401);
    expect((await call(a, 'GET', '/api/session/me', browser)).status).toBe(401);
  });

  it('public status groups made on one node are on the other, with the same device tokens', async () => {
    const admin: Caller = { token: TEST_TOKEN };
    const made = await call(a, 'POST', '/api/public-status/groups', admin, {
      slug: 'wifi',
      name: 'Wifi công cộng',
      selector: { kind: 'wifi' },
      published: true,
    });
    expect(made.status).toBe(201);
    const onB = await call(b, 'GET', '/api/public-status/groups', admin);
    expect(onB.body).toEqual([made.body]);
    const page = await call(b, 'GET', '/api/public/status/wifi', {});
    expect(page.status).toBe(200);
    expect(page.body.devices.map((d: { token: string }) => d.token)).toEqual(
      made.body.members.map((m: { token: string }) => m.token),
    );
    // Creating it again on B is refused: the slug is taken cluster-wide.
    expect(
      (
        await call(b, 'POST', '/api/public-status/groups', admin, {
          slug: 'wifi',
          name: 'x',
          selector: { kind: 'wifi' },
          published: false,
        })
      ).status,
    ).toBe(409);
  });

  it('a user disabled on A has its open socket on B closed at once, not at the once-a-minute sweep', async () => {
    const admin: Caller = { token: TEST_TOKEN };
    const created = await call(a, 'POST', '/api/users', admin, {
      username: 'mai',
      password: 'mai-password-0',
      role: 'viewer',
      province: true,
    });
    expect(created.body).toMatchObject({ user: { username: 'mai' } });
    const session = await login(b, 'mai', 'mai-password-0');
    expect(session.status).toBe(200);
    const socket = io(b.httpUrl, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: session.cookie! },
    });
    try {
      let snapshots = 0;
      let disconnected: string | null = null;
      socket.on('devices:snapshot', () => snapshots++);
      socket.on('disconnect', (reason) => {
        disconnected = reason;
      });
      await expect.poll(() => snapshots).toBe(1);
      const disabled = await call(a, 'PATCH', `/api/users/${created.body.user.id}`, admin, {
        disabled: true,
      });
      expect(disabled.status).toBe(200);
      // B re-checks the socket when A's user.changed arrives over Redis. B's own sweep runs once a minute
      // of its clock; this poll gives up after 10 s, and without the relay this test fails (tried once).
      await expect.poll(() => disconnected, { timeout: 10_000 }).toBe('io server disconnect');
    } finally {
      socket.close();
    }
  });

  // Last: it locks this address (127.0.0.1) for sign-ins on both nodes.
  it('failed sign-ins on both nodes count together, and the lock holds on both', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(i % 2 === 0 ? a : b, 'ke-doan-mo', `sai-${i}`)),
    );
    const refused = attempts.filter((r) => r.status === 401).length;
    expect(refused + attempts.filter((r) => r.status === 429).length).toBe(20);
    // Sent at once, they pass the lock check before the first failure is counted (a check is two
    // indexed queries, a refusal a whole scrypt): at least ten are counted, which locks for ≥ 32 s, so
    // the checks below do not depend on how fast this machine is.
    expect(refused).toBeGreaterThanOrEqual(10);
    // Every refusal on either node is in the one count.
    const db = new pg.Client({ connectionString: env.HUB_DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query("SELECT failures FROM auth_lockouts WHERE key = 'user:ke-doan-mo'");
      expect(rows).toEqual([{ failures: refused }]);
    } finally {
      await db.end();
    }
    // The name is locked on both nodes (1 s at five failures, doubling with each one past it).
    for (const node of [a, b]) {
      const locked = await login(node, 'ke-doan-mo', 'sai-nua');
      expect(locked.status).toBe(429);
      expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    }
  });
});
