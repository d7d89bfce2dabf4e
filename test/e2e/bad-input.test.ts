import net from 'node:net';
import type { HubConfig, HubDeps } from '@commune-hub/hub';
import type { HeartbeatRecord } from '@commune-hub/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closedByBroker, connectDevice } from '../support/device.ts';
import { authHeaders, getDevice, getJson, metric, provision, startTestHub, waitFor } from '../support/hub.ts';

const DAY = 86_400_000;

/** A fresh hub per test, with one well-behaved device online and one attacker's credentials: no counter,
 * connection or stored row is shared between tests, so each can run alone or in any order. */
async function startBench(overrides: Partial<HubConfig> = {}, deps: HubDeps = {}) {
  const hub = await startTestHub(overrides, deps);
  const goodCreds = await provision(hub, {
    id: 'good-01',
    kind: 'camera',
    name: 'Camera ngã tư',
    village: 'Thôn 1',
  });
  const evilCreds = await provision(hub, { id: 'evil-01', kind: 'wifi', name: 'Wifi', village: 'Thôn 2' });
  const good = await connectDevice(hub.mqttUrl, goodCreds);
  await good.beat();
  await waitFor(async () => (await getDevice(hub, 'good-01')).status === 'online', 'good online');
  onTestFinished(async () => {
    good.client.end(true);
    await hub.close();
  });
  return {
    hub,
    good,
    evilCreds,
    rejected: (reason: string) => metric(hub, 'hub_ingest_rejected_total', { reason }),
    denied: (reason: string) => metric(hub, 'hub_mqtt_denied_total', { reason }),
  };
}

describe('bad input is refused and counted; a well-behaved device is unaffected', () => {
  it('refuses a wrong secret, an unknown id and a username that is not the client id', async () => {
    const { hub, evilCreds } = await startBench();
    await expect(connectDevice(hub.mqttUrl, { id: 'good-01', secret: 'wrong' })).rejects.toThrow(
      /Bad username or password/,
    );
    await expect(connectDevice(hub.mqttUrl, { id: 'nobody-99', secret: 'x' })).rejects.toThrow(
      /Bad username or password/,
    );
    await expect(connectDevice(hub.mqttUrl, evilCreds, { username: 'good-01' })).rejects.toThrow(
      /Bad username or password/,
    );
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'bad_secret' })).toBe(1);
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'unknown_device' })).toBe(1);
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'client_id_mismatch' })).toBe(1);
  });

  it('closes a device publishing as another device, and the victim keeps its state', async () => {
    const { hub, evilCreds, denied } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    const closed = closedByBroker(evil.client);
    evil.client.publish('commune/v1/good-01/status', 'offline', { qos: 1, retain: true });
    await closed;
    expect(await denied('foreign_topic')).toBe(1);
    expect((await getDevice(hub, 'good-01')).status).toBe('online');
  });

  it('does not let a last will name another device', async () => {
    const { hub, evilCreds, denied } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds, { will: 'commune/v1/good-01/status' });
    evil.kill();
    await waitFor(async () => (await denied('foreign_topic')) === 1, 'will refused');
    expect((await getDevice(hub, 'good-01')).status).toBe('online');
  });

  it('refuses $SYS publishes and subscriptions to other devices', async () => {
    const { hub, evilCreds, denied } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    // SUBACK 0x80 (failure): MQTT.js surfaces it as an error.
    await expect(evil.client.subscribeAsync('commune/v1/good-01/#', { qos: 1 })).rejects.toThrow(
      /Subscribe error/,
    );
    const own = await evil.client.subscribeAsync('commune/v1/evil-01/cmd', { qos: 1 });
    expect(own[0]?.qos).toBe(1);
    const closed = closedByBroker(evil.client);
    evil.client.publish('$SYS/broker/uptime', 'x', { qos: 1 });
    await closed;
    expect(await denied('sys_topic')).toBe(1);
    expect(await denied('not_own_command_topic')).toBe(1);
  });

  it('refuses topics 200 levels deep', async () => {
    const { hub, evilCreds, denied } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    const closed = closedByBroker(evil.client);
    evil.client.publish(`commune/v1/evil-01/${'a/'.repeat(198)}hb`, '{}', { qos: 1 });
    await closed;
    await waitFor(async () => (await denied('topic_too_deep')) === 1, 'deep topic counted');
    expect((await getDevice(hub, 'good-01')).status).toBe('online');
  });

  it('counts malformed payloads without dropping the connection', async () => {
    const { hub, evilCreds, rejected } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    const hb = 'commune/v1/evil-01/hb';
    const now = Date.now();
    const send = (payload: string | Buffer) => evil.client.publishAsync(hb, payload, { qos: 1 });
    await send('{not json');
    await send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await send(JSON.stringify({ v: 1, ts: now, seq: 1, up: 1, st: 'ok', m: {}, extra: true }));
    await send(`{"v":1,"ts":${now},"seq":2,"up":1,"st":"ok","m":{"x":1e400}}`);
    await send(JSON.stringify({ v: 1, ts: now, seq: 3, up: 1, st: 'ok', m: { x: 'NaN' }, faults: 'no' }));
    await send(`{"v":1,"ts":${now},"seq":4,"up":1,"st":"ok","m":${'{"a":'.repeat(500)}1${'}'.repeat(500)}}`);
    await send(
      JSON.stringify({
        v: 1,
        ts: now,
        seq: 5,
        up: 1,
        st: 'ok',
        m: { pad: 'x'.repeat(250) },
        faults: Array(20).fill('f'),
      }),
    );
    await send(JSON.stringify({ v: 1, ts: now, seq: 6, up: 1, st: 'ok', m: {}, pad: 'x'.repeat(5000) }));
    await send('maybe');
    expect(evil.client.connected).toBe(true);
    expect(await rejected('invalid_json')).toBe(2); // '{not json' and 'maybe'
    expect(await rejected('invalid_utf8')).toBe(1);
    expect(await rejected('schema')).toBe(5);
    expect(await rejected('oversized')).toBe(1);
    evil.client.end(true);
  });

  it('closes a connection that sends a 1 MiB packet', async () => {
    const { hub, evilCreds } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    const closed = closedByBroker(evil.client);
    evil.client.publish('commune/v1/evil-01/hb', Buffer.alloc(1024 * 1024, 0x61), { qos: 1 });
    await closed;
    expect(await metric(hub, 'hub_mqtt_denied_total', { action: 'packet', reason: 'oversized' })).toBe(1);
  });

  it('survives malformed MQTT bytes and a packet announcing 200 MiB, counting both', async () => {
    const { hub, good } = await startBench();
    const port = Number(new URL(hub.mqttUrl).port);
    const rawSend = (bytes: Buffer) =>
      new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
        setTimeout(() => socket.destroy(), 2000);
      });
    // A CONNECT whose protocol name is garbage, then bytes that are no MQTT at all.
    await rawSend(Buffer.from([0x10, 0x0a, 0x00, 0x04, 0x58, 0x58, 0x58, 0x58, 0x09, 0x02, 0x00, 0x3c]));
    await rawSend(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    // A PUBLISH fixed header declaring 200 MiB: cut off before any of it is buffered.
    await rawSend(Buffer.from([0x32, 0x80, 0x80, 0x80, 0x64]));
    expect(
      await metric(hub, 'hub_ingest_rejected_total', { reason: 'malformed_packet' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric(hub, 'hub_mqtt_denied_total', { action: 'packet', reason: 'oversized' }),
    ).toBeGreaterThanOrEqual(1);
    await good.beat();
    await waitFor(
      async () => (await getDevice(hub, 'good-01')).lastSeq === good.seq - 1,
      'hub still serving',
    );
  });

  it('rejects a clock a day ahead, keeps a year-old heartbeat as history, rejects older than the bound', async () => {
    const { hub, evilCreds, rejected } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    evil.seq = 100;
    await evil.beat({ ts: Date.now() + DAY });
    await evil.beat({ ts: Date.now() - 365 * DAY });
    await evil.beat({ ts: Date.now() - 401 * DAY });
    expect(await rejected('clock_ahead')).toBe(1);
    expect(await rejected('too_old')).toBe(1);
    const view = await getDevice(hub, 'evil-01');
    expect(view.status).not.toBe('online');
    const history = await getJson<HeartbeatRecord[]>(
      hub,
      `/api/devices/evil-01/heartbeats?from=${Date.now() - 366 * DAY}`,
    );
    expect(history.filter((h) => h.seq === 101).map((h) => h.late)).toEqual([true]);
    evil.client.end(true);
  });

  it('stores a replayed heartbeat once and counts the duplicate', async () => {
    const { hub, evilCreds, rejected } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    const payload = JSON.stringify({ v: 1, ts: Date.now(), seq: 7777, up: 1, st: 'ok', m: {} });
    for (let i = 0; i < 3; i++) await evil.client.publishAsync('commune/v1/evil-01/hb', payload, { qos: 1 });
    expect(await rejected('duplicate')).toBe(2);
    const rows = await getJson<HeartbeatRecord[]>(hub, '/api/devices/evil-01/heartbeats');
    expect(rows.filter((r) => r.seq === 7777)).toHaveLength(1);
    evil.client.end(true);
  });

  it('throttles a flooding client by its token bucket, without affecting others', async () => {
    // The hub's clock stands still while the flood goes in, so the bucket holds exactly its burst and
    // refills only when the test moves the clock: the counts below hold on any machine, at any speed.
    const clock = { t: Date.now(), now: () => clock.t };
    const { hub, good, evilCreds, rejected } = await startBench(
      { mqttRatePerS: 200, mqttRateBurst: 400 },
      { clock },
    );
    const accepted = () => metric(hub, 'hub_ingest_accepted_total', { channel: 'hb' });
    const T0 = clock.t - 60_000;
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    const flood = (fromSeq: number, count: number) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          evil.client.publishAsync(
            'commune/v1/evil-01/hb',
            // One millisecond apart: the store keeps one row per device and timestamp.
            JSON.stringify({ v: 1, ts: T0 + fromSeq + i, seq: fromSeq + i, up: 1, st: 'ok', m: {} }),
            { qos: 1 },
          ),
        ),
      );
    const acceptedBefore = await accepted();

    await flood(0, 1000); // PUBACK comes after the bucket's decision: the counters are final here
    expect(await rejected('rate_limited')).toBe(600);
    expect((await accepted()) - acceptedBefore).toBe(400);

    clock.t += 1000; // one second at 200/s puts 200 tokens back
    await flood(1000, 300);
    expect(await rejected('rate_limited')).toBe(700);
    expect((await accepted()) - acceptedBefore).toBe(600);
    // Stored rows are flushed in batches: wait for them, then the count is exact.
    await waitFor(
      async () =>
        (await getJson<HeartbeatRecord[]>(hub, '/api/devices/evil-01/heartbeats?limit=5000')).length >= 600,
      'the accepted heartbeats stored',
    );
    expect(await getJson<HeartbeatRecord[]>(hub, '/api/devices/evil-01/heartbeats?limit=5000')).toHaveLength(
      600,
    );

    // The well-behaved device has its own bucket.
    await good.beat();
    await waitFor(
      async () => (await getDevice(hub, 'good-01')).lastSeq === good.seq - 1,
      'good heartbeat seen',
    );
    expect((await getDevice(hub, 'good-01')).status).toBe('online');
    evil.client.end(true);
  });

  // Newlines and other control characters are refused since issue 14 (edge-hardening.test.ts, finding 9).
  it('keeps names with quotes, commas and HTML verbatim', async () => {
    const { hub } = await startBench();
    const name = 'Loa "thôn 1", cổng <script>alert(1)</script>';
    await provision(hub, { id: 'weird-01', kind: 'loudspeaker', name, village: "Thôn O'Neil, <b>2</b>" });
    const view = await getDevice(hub, 'weird-01');
    expect(view.name).toBe(name);
    expect(view.village).toBe("Thôn O'Neil, <b>2</b>");
  });

  it('answers bad REST input with coded errors', async () => {
    const { hub } = await startBench();
    const post = (body: unknown, token = hub.adminToken) =>
      fetch(`${hub.httpUrl}/api/devices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const noAuth = await post({ id: 'x-1', kind: 'wifi', name: 'a', village: 'b' }, 'wrong-token');
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as { code: string }).code).toBe('HUB_ERR_UNAUTHORIZED');
    const badId = await post({ id: 'Bad/Id#', kind: 'wifi', name: 'a', village: 'b' });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { code: string }).code).toBe('HUB_ERR_VALIDATION');
    const dup = await post({ id: 'good-01', kind: 'camera', name: 'a', village: 'b' });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { code: string }).code).toBe('HUB_ERR_DEVICE_EXISTS');
    const missing = await fetch(`${hub.httpUrl}/api/devices/nope-1`, { headers: authHeaders(hub) });
    expect(((await missing.json()) as { code: string }).code).toBe('HUB_ERR_DEVICE_NOT_FOUND');
    const badRange = await fetch(`${hub.httpUrl}/api/devices/good-01/heartbeats?from=yesterday`, {
      headers: authHeaders(hub),
    });
    expect(((await badRange.json()) as { code: string }).code).toBe('HUB_ERR_BAD_TIME_RANGE');
  });

  it('keeps every heartbeat of the well-behaved device while another misbehaves', async () => {
    const { hub, good, evilCreds } = await startBench();
    const evil = await connectDevice(hub.mqttUrl, evilCreds);
    for (let i = 0; i < 5; i++) {
      await good.beat();
      await evil.client.publishAsync('commune/v1/evil-01/hb', '{not json', { qos: 1 });
    }
    const closed = closedByBroker(evil.client);
    evil.client.publish('commune/v1/good-01/status', 'offline', { qos: 1, retain: true });
    await closed;
    await good.beat();
    await waitFor(
      async () => (await getDevice(hub, 'good-01')).lastSeq === good.seq - 1,
      'last good heartbeat',
    );
    const rows = await getJson<HeartbeatRecord[]>(hub, '/api/devices/good-01/heartbeats');
    expect(rows.map((r) => r.seq).sort((x, y) => x - y)).toEqual([...Array(good.seq).keys()]);
    expect((await getDevice(hub, 'good-01')).status).toBe('online');
  });
});
