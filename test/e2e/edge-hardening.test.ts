import net from 'node:net';
import type { StartedHub } from '@commune-hub/hub';
import {
  type ClientToServerEvents,
  type DevicesSnapshot,
  HubApiError,
  type ServerToClientEvents,
} from '@commune-hub/protocol';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDevice } from '../support/device.ts';
import { hubClient, metric, provision, startTestHub, waitFor } from '../support/hub.ts';
import { connectPacket } from '../support/mqtt-packets.ts';

/**
 * Issue 14, the outside probe's findings 2, 4, 5, 6, 8, 9, 10, 12 and /metrics: each `it` failed on the
 * code before the fix (see the report of branch sec for how each was checked). Time-driven budgets run on
 * an injected clock that only moves when the test says so.
 */
function frozenClock(start = Date.now()) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const hubs: StartedHub[] = [];
async function hubWith(...args: Parameters<typeof startTestHub>): Promise<StartedHub> {
  const hub = await startTestHub(...args);
  hubs.push(hub);
  return hub;
}
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
});

async function apiError(call: Promise<unknown>): Promise<HubApiError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof HubApiError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
}

/** Resolves when the server closes the socket. */
const closed = (socket: net.Socket) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
  });

describe('edge hardening (issue 14)', () => {
  it('finding 6: absurd times are a 400 and nothing is stored; later reads keep working', async () => {
    const hub = await hubWith();
    const api = hubClient(hub);
    await provision(hub, { id: 'tr-1', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' });
    const stored = await apiError(
      api.maintenanceCreate({ body: { deviceIds: ['tr-1'], from: '0', to: '99999999999999999999' } }),
    );
    expect(stored.status).toBe(400);
    expect(stored.code).toBe('HUB_ERR_BAD_TIME_RANGE');
    expect(await api.maintenanceList({ query: { from: '0' } })).toEqual([]);
    const uptime = await apiError(api.fleetUptime({ query: { to: '99999999999999999999' } }));
    expect([uptime.status, uptime.code]).toEqual([400, 'HUB_ERR_BAD_TIME_RANGE']);
    const iso = await apiError(api.fleetUptime({ query: { from: '+275760-09-13T00:00:00Z' } }));
    expect(iso.code).toBe('HUB_ERR_BAD_TIME_RANGE');
    const backwards = await apiError(
      api.maintenanceCreate({ body: { deviceIds: ['tr-1'], from: '2026-01-02', to: '2026-01-01' } }),
    );
    expect(backwards.code).toBe('HUB_ERR_BAD_TIME_RANGE');
    // A sane window is still accepted and listed.
    await api.maintenanceCreate({
      body: { deviceIds: ['tr-1'], from: '2026-01-01T00:00:00Z', to: '2026-01-01T02:00:00Z' },
    });
    expect(await api.maintenanceList({ query: { from: '2025-12-31', to: '2026-01-02' } })).toHaveLength(1);
  });

  it('finding 2: 100 devices:filter in a burst cost a few snapshots, not 101; the last filter wins', async () => {
    const clock = frozenClock();
    const hub = await hubWith({}, { clock });
    for (const [id, village] of [
      ['rt-a', 'Thôn A'],
      ['rt-b', 'Thôn B'],
    ] as const) {
      await provision(hub, { id, kind: 'wifi', name: id, village });
    }
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(hub.httpUrl, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { authorization: `Bearer ${hub.adminToken}` },
    });
    const snapshots: DevicesSnapshot[] = [];
    socket.on('devices:snapshot', (s) => snapshots.push(s));
    await waitFor(() => snapshots.length === 1, 'first snapshot');
    const villages = Object.fromEntries(snapshots[0]!.devices.map((d) => [d.id, d.villageId]));
    const acks = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        socket.emitWithAck('devices:filter', { villageIds: [i % 2 ? villages['rt-b']! : villages['rt-a']!] }),
      ),
    );
    const accepted = acks.filter((a) => a.ok).length;
    expect(accepted).toBe(20); // HUB_SOCKET_EVENT_BURST
    expect(acks.find((a) => !a.ok)).toMatchObject({ error: expect.stringContaining('HUB_ERR_RATE_LIMITED') });
    await waitFor(() => snapshots.length === 4, 'the snapshots the budget allows');
    expect(await metric(hub, 'hub_realtime_limited_total', { what: 'event' })).toBe(80);
    expect(await metric(hub, 'hub_realtime_limited_total', { what: 'snapshot' })).toBe(17);
    // The snapshot owed for the last accepted filter (village B: i = 19) goes out once the budget refills.
    clock.advance(2_000);
    await waitFor(() => snapshots.length === 5, 'the owed snapshot');
    expect(snapshots.at(-1)!.devices.map((d) => d.id)).toEqual(['rt-b']);
    expect(snapshots.length).toBeLessThanOrEqual(5);
    socket.close();
  });

  it('finding 4: wrong secrets past the budget are refused before hashing; the real device still gets in', async () => {
    const clock = frozenClock();
    const hub = await hubWith({ mqttAuthFailuresPerId: 3, mqttAuthFailuresPerAddress: 1000 }, { clock });
    const creds = await provision(hub, { id: 'au-1', kind: 'kiosk', name: 'Kiosk', village: 'Thôn 1' });
    (await connectDevice(hub.mqttUrl, creds)).client.end(true); // its secret is now verified once
    const wrong = () =>
      new Promise<void>((resolve) => {
        const c = mqtt.connect(hub.mqttUrl, {
          clientId: 'au-1',
          username: 'au-1',
          password: 'not-the-secret',
          reconnectPeriod: 0,
        });
        c.once('error', () => {
          c.end(true);
          resolve();
        });
        c.once('connect', () => resolve());
      });
    for (let i = 0; i < 10; i++) await wrong();
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'bad_secret' })).toBe(3);
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'throttled_id' })).toBe(7);
    // Its own secret, already verified, costs no hash and is let in while the id is blocked.
    const real = await connectDevice(hub.mqttUrl, creds);
    real.client.end(true);
    // Past the backoff one more guess is hashed (and fails), then the id is blocked again, longer.
    clock.advance(60_000);
    await wrong();
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'bad_secret' })).toBe(4);
    await wrong();
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'throttled_id' })).toBe(8);
  });

  it('finding 5: reconnecting does not refill the per-device rate budget', async () => {
    const clock = frozenClock();
    const hub = await hubWith({ mqttRatePerS: 1, mqttRateBurst: 20 }, { clock });
    const creds = await provision(hub, { id: 'rl-1', kind: 'pc', name: 'PC', village: 'Thôn 1' });
    for (let cycle = 0; cycle < 3; cycle++) {
      const device = await connectDevice(hub.mqttUrl, creds);
      for (let i = 0; i < 15; i++) await device.beat({ ts: clock.now() });
      await device.client.endAsync();
    }
    // 45 sent against a burst of 20 with the clock standing still: 25 dropped, whatever the reconnects.
    expect(await metric(hub, 'hub_ingest_rejected_total', { reason: 'rate_limited' })).toBe(25);
  });

  it('finding 8: idle keep-alive connections are closed, and connections past the cap refused', async () => {
    const hub = await hubWith({ httpKeepAliveTimeoutMs: 300, httpMaxConnections: 2 });
    const port = new URL(hub.httpUrl).port;
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString();
    });
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await waitFor(() => answer.includes('"status":"ok"'), 'healthz answer');
    await closed(socket); // the hub closes it: the test would time out otherwise

    const a = net.connect(Number(port), '127.0.0.1');
    const b = net.connect(Number(port), '127.0.0.1');
    await Promise.all([a, b].map((s) => new Promise((r) => s.once('connect', r))));
    const c = net.connect(Number(port), '127.0.0.1');
    await closed(c);
    a.destroy();
    b.destroy();
  });

  it('finding 9: names, villages and tags with control characters or bidi overrides are refused, clearly', async () => {
    const hub = await hubWith();
    const api = hubClient(hub);
    for (const [field, value] of [
      ['name', 'Loa\u001b[31m đỏ'],
      ['name', 'Camera \u202Egnp.exe'],
      ['village', 'Thôn\u00001'],
      ['name', 'Dòng 1\nDòng 2'],
    ] as const) {
      const body = { id: 'cc-1', kind: 'camera' as const, name: 'Camera', village: 'Thôn 1', [field]: value };
      const err = await apiError(api.deviceCreate({ body }));
      expect([err.status, err.code]).toEqual([400, 'HUB_ERR_CONTROL_CHARACTERS']);
      expect(err.message).toContain(`/${field}`);
    }
    const tags = await apiError(
      api.deviceCreate({
        body: { id: 'cc-1', kind: 'camera', name: 'Camera', village: 'Thôn 1', tags: ['ok', 'x\u0085'] },
      }),
    );
    expect(tags.code).toBe('HUB_ERR_CONTROL_CHARACTERS');
    const refused = await apiError(
      api.deviceImport({
        query: { dryRun: true },
        body: 'id,kind,name,village\ncc-2,wifi,"=HYPERLINK(""x"")",Thôn 1\ncc-3,wifi,"Wifi \u202E",Thôn 1\n',
      }),
    );
    const report = refused.body as { errors: Array<{ line: number; id?: string; message: string }> };
    expect(report.errors).toEqual([
      { line: 3, id: 'cc-3', message: expect.stringContaining('bidirectional overrides (U+202A') },
    ]);
    expect(report.errors[0]!.message).toContain('found U+202E');
    expect((await api.deviceList()).map((d) => d.id)).not.toContain('cc-1');
  });

  it('finding 10: every answer carries a strict CSP, frame-ancestors none and nosniff', async () => {
    const hub = await hubWith();
    for (const url of ['/healthz', '/no-such-page']) {
      const res = await fetch(`${hub.httpUrl}${url}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('/metrics: loopback by default, a bearer token in token mode, nothing when off', async () => {
    const open = await hubWith();
    expect((await fetch(`${open.httpUrl}/metrics`)).status).toBe(200);
    const token = 'metrics-token-0123456789';
    const guarded = await hubWith({ metricsAccess: 'token', metricsToken: token });
    const refused = await fetch(`${guarded.httpUrl}/metrics`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('HUB_ERR_UNAUTHORIZED');
    const ok = await fetch(`${guarded.httpUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('hub_mqtt_auth_failures_total');
    const off = await hubWith({ metricsAccess: 'off' });
    expect((await fetch(`${off.httpUrl}/metrics`)).status).toBe(404);
  });

  it('finding 12: connect timeouts, packets before CONNACK and huge SUBSCRIBEs are each counted', async () => {
    const hub = await hubWith({ mqttConnectTimeoutMs: 200 });
    const port = Number(new URL(hub.mqttUrl).port);
    // A TCP connection that never sends CONNECT.
    const silent = net.connect(port, '127.0.0.1');
    await closed(silent);
    await waitFor(
      async () =>
        (await metric(hub, 'hub_mqtt_connection_errors_total', { reason: 'connect_timeout' })) === 1,
      'connect_timeout counted',
    );
    expect(await metric(hub, 'hub_ingest_rejected_total', { reason: 'malformed_packet' })).toBe(0);

    // CONNECT (its secret takes a scrypt) followed at once by 60 PINGREQs, more than aedes queues.
    const creds = await provision(hub, { id: 'mq-1', kind: 'pc', name: 'PC', village: 'Thôn 1' });
    const eager = net.connect(port, '127.0.0.1', () =>
      eager.write(
        Buffer.concat([
          connectPacket('mq-1', 'mq-1', creds.secret),
          Buffer.alloc(120, Buffer.from([0xc0, 0])),
        ]),
      ),
    );
    eager.on('error', () => {});
    await closed(eager);
    await waitFor(
      async () =>
        (await metric(hub, 'hub_mqtt_connection_errors_total', { reason: 'queue_before_connack' })) === 1,
      'queue_before_connack counted',
    );

    // 500 filters in one SUBSCRIBE: refused whole (aedes would merge repeats and answer fewer codes than
    // filters). 12,000 filters (≈ 300 KiB) are already cut off by the 64 KiB packet bound.
    const device = await connectDevice(hub.mqttUrl, creds);
    const topics = Array.from({ length: 500 }, (_, i) => `commune/v1/mq-1/cmd/${i % 10}`);
    device.client.subscribe(topics, () => {});
    await new Promise<void>((resolve) => device.client.once('close', () => resolve()));
    device.client.end(true);
    expect(
      await metric(hub, 'hub_mqtt_denied_total', { action: 'subscribe', reason: 'too_many_filters' }),
    ).toBe(1);
  });
});
