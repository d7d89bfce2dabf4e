import type { StartedHub } from '@commune-hub/hub';
import { createHubClient, type HubApiError, routes } from '@commune-hub/protocol';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, hubClient, metric, startTestHub, TEST_ADMIN, TEST_TOKEN } from '../support/hub.ts';

/**
 * Findings 1 and 11 of issue 14, and the sign-in they lead to: every read needs a signed-in user or a
 * personal API token (finding 1: "every read is open"), auth answers 401 before any body is read or
 * validated (finding 11), the browser session is an httpOnly SameSite=Strict cookie whose writes need
 * the CSRF token, failed sign-ins lock with backoff, tokens are revocable, and HUB_ADMIN_TOKEN only
 * creates the first admin.
 */
describe('finding 1: no read is open', () => {
  let hub: StartedHub;
  beforeAll(async () => {
    hub = await startTestHub();
    await hubClient(hub).deviceCreate({
      body: { id: 'ls-01', kind: 'loudspeaker', name: 'Loa thôn 1', village: 'Thôn 1' },
    });
  });
  afterAll(async () => hub?.close());

  const reads = [
    '/api/devices',
    '/api/devices/ls-01',
    '/api/devices/ls-01/heartbeats',
    '/api/devices/ls-01/transitions',
    '/api/devices/ls-01/series?metric=x',
    '/api/devices/ls-01/uptime',
    '/api/uptime',
    '/api/maintenance',
    '/api/communes',
    '/api/villages',
    '/api/sites',
    '/api/alerts',
    '/api/alerts/rules',
    '/api/criteria-sets',
    '/api/criteria-reports',
    '/api/openapi.json',
  ];
  it.each(reads)('GET %s without credentials is 401 HUB_ERR_UNAUTHORIZED, with a token 200', async (path) => {
    const anonymous = await fetch(`${hub.httpUrl}${path}`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('HUB_ERR_UNAUTHORIZED');
    const wrong = await fetch(`${hub.httpUrl}${path}`, {
      headers: { authorization: 'Bearer not-a-token-0000000' },
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${hub.httpUrl}${path}`, { headers: authHeaders(hub) })).status).toBe(200);
  });

  it("every route of the map but /healthz, /metrics, sign-in and the citizens' public status page needs a role", async () => {
    const open = Object.entries(routes)
      .filter(([, spec]) => (spec as { auth?: string }).auth === 'public')
      .map(([name]) => name)
      .sort();
    // The public status page (issue 12) is for citizens without an account: its two reads and the report.
    expect(open).toEqual([
      'health',
      'metrics',
      'publicReportCreate',
      'publicStatusDevice',
      'publicStatusGroup',
      'sessionCreate',
    ]);
    await expect((async () => (await fetch(`${hub.httpUrl}/healthz`)).status)()).resolves.toBe(200);
  });

  it('a socket from another site gets no snapshot, nor one without credentials', async () => {
    const attempt = (options: Parameters<typeof io>[1]) =>
      new Promise<string>((resolve) => {
        const s = io(hub.httpUrl, { transports: ['websocket'], reconnection: false, ...options });
        s.once('connect_error', (err) => {
          s.close();
          resolve(`refused: ${err.message}`);
        });
        s.once('devices:snapshot', (snap) => {
          s.close();
          resolve(`snapshot of ${snap.devices.length}`);
        });
      });
    expect(await attempt({ extraHeaders: { origin: 'http://evil.example' } })).toMatch(/^refused/);
    expect(await attempt({})).toMatch(/^refused: HUB_ERR_UNAUTHORIZED/);
    expect(
      await attempt({ extraHeaders: { origin: 'http://evil.example' }, auth: { token: TEST_TOKEN } }),
    ).toMatch(/^refused/);
    expect(await attempt({ auth: { token: TEST_TOKEN } })).toBe('snapshot of 1');
    expect(await metric(hub, 'hub_auth_denied_total', { reason: 'origin' })).toBeGreaterThanOrEqual(2);
  });
});

describe('finding 11: auth before the body', () => {
  let hub: StartedHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.close());

  it('an anonymous POST with an invalid body is 401, not a 400 describing the schema', async () => {
    const res = await fetch(`${hub.httpUrl}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nonsense: true }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('HUB_ERR_UNAUTHORIZED');
    expect(body.message).not.toMatch(/must have required property|kind|village/);
  });

  it('an anonymous 10 MB CSV import is refused with 401 before it is read', async () => {
    const csv = `id,kind,name,village\n${'x'.repeat(10 * 1024 * 1024)}`;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= csv.length) return controller.close();
        const chunk = new TextEncoder().encode(csv.slice(sent, sent + 65536));
        sent += 65536;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${hub.httpUrl}/api/devices/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(401);
    // The hub answered before the upload was read: far less than the 10 MB was pulled from the stream.
    expect(sent).toBeLessThan(csv.length);
  });

  it('a viewer token on an admin route is 403 before the body is validated', async () => {
    const { apiToken } = await hubClient(hub).userCreate({
      body: {
        username: 'viewer',
        password: 'viewer-password',
        role: 'viewer',
        province: true,
        apiTokenName: 't',
      },
    });
    const res = await fetch(`${hub.httpUrl}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken!.token}` },
      body: '{"not":"a device"}',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('HUB_ERR_FORBIDDEN');
  });
});

describe('sign-in, CSRF, lockout, tokens and the first admin', () => {
  let hub: StartedHub;
  let t = Date.parse('2026-12-01T02:00:00Z');
  beforeAll(async () => {
    hub = await startTestHub({}, { clock: { now: () => t } });
  });
  afterAll(async () => hub?.close());

  const signIn = (username: string, password: string) =>
    fetch(`${hub.httpUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });

  it('a session is an httpOnly SameSite=Strict cookie; its writes need the CSRF token', async () => {
    const res = await signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/hub_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const { csrfToken, user } = (await res.json()) as { csrfToken: string; user: { role: string } };
    expect(user.role).toBe('admin');
    const cookie = setCookie.split(';')[0]!;
    const me = await fetch(`${hub.httpUrl}/api/session/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    const write = (headers: Record<string, string>) =>
      fetch(`${hub.httpUrl}/api/communes`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ id: `xa-${Object.keys(headers).length}`, name: 'Xã' }),
      });
    const forged = await write({});
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('HUB_ERR_CSRF');
    expect((await write({ 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await write({ 'x-csrf-token': csrfToken })).status).toBe(201);
    // Signed out, the cookie is worth nothing.
    const out = await fetch(`${hub.httpUrl}/api/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(out.status).toBe(204);
    expect((await fetch(`${hub.httpUrl}/api/session/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('the typed client signs in with the cookie and the CSRF header, as the dashboard does', async () => {
    let cookie = '';
    let csrf: string | null = null;
    const client = createHubClient({
      baseUrl: hub.httpUrl,
      csrfToken: () => csrf,
      fetch: async (input, init) => {
        const res = await fetch(input, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), ...(cookie && { cookie }) },
        });
        const set = res.headers.get('set-cookie');
        if (set) cookie = set.split(';')[0]!;
        return res;
      },
    });
    csrf = (await client.sessionCreate({ body: TEST_ADMIN })).csrfToken;
    expect((await client.sessionMe()).via).toBe('session');
    expect((await client.villageCreate({ body: { name: 'Thôn qua phiên' } })).name).toBe('Thôn qua phiên');
  });

  it('wrong passwords lock the name with a growing delay, refused before hashing; the lock passes with time', async () => {
    await hubClient(hub).userCreate({
      body: { username: 'lan', password: 'right-password', role: 'viewer', province: true },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn('lan', `wrong-${i}-password`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // The fifth failure locked the name: even the right password waits.
    const locked = await signIn('lan', 'right-password');
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { code: string }).code).toBe('HUB_ERR_LOCKED_OUT');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await metric(hub, 'hub_auth_lockouts_total', { by: 'user' })).toBeGreaterThanOrEqual(1);
    expect(await metric(hub, 'hub_auth_login_failures_total', { reason: 'locked_out' })).toBe(1);
    t += 60_000;
    expect((await signIn('lan', 'right-password')).status).toBe(200);
    // An unknown name gets the very same answer as a wrong password.
    const unknown = await signIn('nobody', 'whatever-password');
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { code: string }).code).toBe('HUB_ERR_BAD_CREDENTIALS');
  });

  it('a personal API token is shown once, listed without its secret, and stops working when revoked', async () => {
    const admin = hubClient(hub);
    const created = await admin.tokenCreate({ body: { name: 'sao lưu hằng đêm' } });
    expect(created.token).toMatch(/^chub_/);
    const listed = await admin.tokenList();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const script = createHubClient({ baseUrl: hub.httpUrl, token: created.token });
    expect((await script.sessionMe()).via).toBe('token');
    await admin.tokenRevoke({ params: { id: created.info.id } });
    const err = await script.deviceList().catch((e: unknown) => e as HubApiError);
    expect((err as HubApiError).status).toBe(401);
  });
});

describe('HUB_ADMIN_TOKEN creates the first admin and nothing else', () => {
  let hub: StartedHub;
  beforeAll(async () => {
    hub = await startTestHub({}, {}, { firstAdmin: false });
  });
  afterAll(async () => hub?.close());

  it('reads and other writes refuse it; it creates one admin, then it is refused', async () => {
    const bootstrap = createHubClient({ baseUrl: hub.httpUrl, token: TEST_TOKEN });
    expect((await bootstrap.deviceList().catch((e: HubApiError) => e)) as HubApiError).toMatchObject({
      status: 401,
    });
    const viewerFirst = await bootstrap
      .userCreate({ body: { username: 'vv', password: 'viewer-password', role: 'viewer', province: true } })
      .catch((e: HubApiError) => e);
    expect((viewerFirst as HubApiError).status).toBe(403);
    const { user, apiToken } = await bootstrap.userCreate({
      body: {
        username: 'chu.tich',
        password: 'first-admin-password',
        role: 'admin',
        province: true,
        apiTokenName: 'cli',
      },
    });
    expect(user.role).toBe('admin');
    const again = await bootstrap
      .userCreate({ body: { username: 'x2', password: 'second-admin-pass', role: 'admin', province: true } })
      .catch((e: HubApiError) => e);
    expect((again as HubApiError).status).toBe(401);
    const admin = createHubClient({ baseUrl: hub.httpUrl, token: apiToken!.token });
    expect((await admin.userList()).map((u) => u.username)).toEqual(['chu.tich']);
  });
});
