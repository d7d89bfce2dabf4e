/**
 * Alerts in a cluster: two hub nodes (each its own process) on Redis + PostgreSQL + InfluxDB on loopback,
 * delivering to the loopback Telegram Bot API. A device on node A goes offline: one message, not one per
 * node. The acknowledgement is made on node B (not the leader) and holds on both. Then the leader (A) is
 * killed with SIGKILL while the alert is open: B takes over, sends nothing again, and the resolution,
 * when the device comes back on B, is sent once. A rule and a channel made on B are what A evaluates and
 * sends with. Nothing here asserts how fast anything was.
 */
import { type Alert, createHubClient, type DeviceCredentials } from '@commune-hub/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type ClusterNode, clusterEnv, startNode, stopNode } from '../support/cluster-node.ts';
import { TEST_TOKEN } from '../support/hub.ts';
import { startBotApi } from '../support/loopback-channels.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';

const eventually = <T>(check: () => T | Promise<T>, timeout = 60_000) =>
  vi.waitFor(check, { timeout, interval: 100 });

const api = async (node: ClusterNode, method: string, url: string, body?: unknown) => {
  const res = await fetch(`${node.httpUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${TEST_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} on ${node.name}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
};
const alertsOn = async (node: ClusterNode) =>
  (await api(node, 'GET', '/api/alerts?from=2020-01-01T00:00:00Z')) as { alerts?: Alert[] } | Alert[] as
    | { alerts?: Alert[] }
    | Alert[];
const listOf = (r: { alerts?: Alert[] } | Alert[]) => (Array.isArray(r) ? r : (r.alerts ?? []));

let redis: TestRedis;
let telegram: Awaited<ReturnType<typeof startBotApi>>;
let a: ClusterNode;
let b: ClusterNode;
let device: MqttClient | undefined;
let creds: DeviceCredentials;
let beating: NodeJS.Timeout | undefined;

function connect(node: ClusterNode): Promise<MqttClient> {
  const client = mqtt.connect(node.mqttUrl, {
    clientId: creds.id,
    username: creds.id,
    password: creds.secret,
    reconnectPeriod: 0,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}
let seq = 0;
const beat = () =>
  device?.publish(
    `commune/v1/${creds.id}/hb`,
    JSON.stringify({ v: 1, ts: Date.now(), seq: seq++, up: 1, st: 'ok', m: {} }),
    { qos: 1 },
  );

beforeAll(async () => {
  redis = await startRedis();
  telegram = await startBotApi('telegram');
  const env = {
    ...(await clusterEnv(redis.url, 'cluster_alerts')),
    // This test is about alerts: on (the hub's default), evaluated often, no bot polling.
    HUB_ALERTS_ENABLED: 'true',
    HUB_ALERTS_TICK_MS: '200',
    HUB_ALERTS_BOT_POLL_MS: '0',
  };
  // node-a has the smaller id: it leads while it lives.
  a = await startNode('node-a', env);
  b = await startNode('node-b', env);
}, 120_000);

afterAll(async () => {
  if (beating) clearInterval(beating);
  device?.end(true);
  for (const node of [a, b]) await stopNode(node);
  await telegram?.close();
  await redis?.stop();
}, 60_000);

it('one message per real problem across two nodes; the leader killed mid-alert: no repeat, resolution once', async () => {
  // Channel and rule are made on node B; node A (the leader) evaluates and sends with them.
  const client = createHubClient({ baseUrl: b.httpUrl, token: TEST_TOKEN });
  creds = await client.deviceCreate({
    body: { id: 'cam-cho', kind: 'camera', name: 'Camera chợ', village: 'Thôn Một', intervalS: 2 },
  });
  await api(b, 'POST', '/api/alerts/channels', {
    id: 'tg',
    name: 'Telegram xã',
    kind: 'telegram',
    config: { botToken: '111111:telegramTOKENabc', chatId: '-1001', apiBaseUrl: telegram.url },
  });
  await api(b, 'POST', '/api/alerts/rules', {
    id: 'cam-offline',
    name: 'Camera mất kết nối',
    scope: { deviceIds: ['cam-cho'] },
    condition: { kind: 'offline_for', forMin: 0.02 },
    notify: { channelIds: ['tg'] },
  });
  // Node A knows the device (PostgreSQL) before it connects there.
  await eventually(async () =>
    expect(((await api(a, 'GET', '/api/devices/cam-cho')) as { id: string }).id).toBe('cam-cho'),
  );
  device = await connect(a);
  beat();
  beating = setInterval(beat, 1000);
  await eventually(async () =>
    expect(((await api(b, 'GET', '/api/devices/cam-cho')) as { status: string }).status).toBe('online'),
  );

  // The device drops off node A: one alert, one message, on a cluster of two.
  clearInterval(beating);
  device.end(true);
  device = undefined;
  await eventually(() => expect(telegram.sent()).toHaveLength(1));
  const fired = telegram.sent()[0]!.body.text as string;
  expect(fired).toContain('Camera chợ');
  const open = await eventually(async () => {
    const list = listOf(await alertsOn(b)).filter((x) => x.state === 'firing');
    expect(list).toHaveLength(1);
    return list[0]!;
  });

  // Acknowledged on node B, which does not evaluate: the leader applies it, both nodes say so.
  const acked = (await api(b, 'POST', `/api/alerts/${open.id}/ack`, {
    by: 'Anh Tuấn',
    note: 'đang xử lý',
  })) as Alert;
  expect(acked.state).toBe('acknowledged');
  await eventually(async () =>
    expect(((await api(a, 'GET', `/api/alerts/${open.id}`)) as Alert).state).toBe('acknowledged'),
  );
  const sentBeforeKill = telegram.sent().length;

  // The leader dies with the alert open. Node B takes over the duties and the device comes back on B.
  a.child.kill('SIGKILL');
  await new Promise((r) => a.child.once('exit', r));
  await eventually(async () => {
    const health = (await api(b, 'GET', '/healthz')) as {
      cluster?: { nodes?: Array<{ id: string; alive: boolean }> };
    };
    expect(health.cluster?.nodes?.find((n) => n.id === 'node-a')?.alive).toBe(false);
  });
  await eventually(async () =>
    expect(((await api(b, 'GET', '/healthz')) as { cluster?: { leader?: string } }).cluster?.leader).toBe(
      'node-b',
    ),
  );
  // The new leader continues from the shared alert: still open, acknowledged, nothing sent again.
  expect(((await api(b, 'GET', `/api/alerts/${open.id}`)) as Alert).state).toBe('acknowledged');
  expect(telegram.sent()).toHaveLength(sentBeforeKill);
  device = await connect(b);
  beat();
  beating = setInterval(beat, 1000);
  await eventually(async () =>
    expect(((await api(b, 'GET', `/api/alerts/${open.id}`)) as Alert).state).toBe('resolved'),
  );
  await eventually(() => expect(telegram.sent().length).toBe(sentBeforeKill + 1));
  const texts = telegram.sent().map((c) => c.body.text as string);
  console.log(`[cluster-alerts] messages: ${JSON.stringify(texts)}`);
  // Exactly one "fired" message in the whole run, and the last one is the resolution, sent once.
  // (Each node evaluating on its own would have sent a second 🔴 with its own alert id.)
  expect(texts.filter((t) => t.startsWith('🔴'))).toEqual([fired]);
  expect(texts.filter((t) => t.startsWith('✅'))).toHaveLength(1);
  expect(texts).toHaveLength(2);
  expect(texts.at(-1)?.startsWith('✅')).toBe(true);
}, 240_000);
