/**
 * What a cluster shares besides liveness (issue 15), two hub nodes in their own processes on one Redis,
 * PostgreSQL and InfluxDB, all on loopback:
 * - a persistent (clean=false) QoS 1 session made on node A is resumed on node B, with what was queued
 *   for it while it was away (a gateway's `cmd` topic, the one topic a device subscribes to);
 * - retained status and meta published through node A are in the shared retained store, delivered to a
 *   subscriber of a broker node started afterwards on the same Redis (the hub's own ClusterTransport);
 * - a gateway on node A and its child's heartbeats, published by the gateway, seen from node B's
 *   dashboard; the child goes offline with the gateway's last will (`parent_down`);
 * - a device that moves from node A to node B while A lives (an MQTT takeover across nodes): never
 *   offline, its acknowledged seqs all stored, and only one node acts for it afterwards.
 * Nothing here asserts how fast anything was.
 */
import net from 'node:net';
import {
  createHubClient,
  type DevicesDiff,
  type DevicesSnapshot,
  type DeviceView,
  type HubClient,
  type Transition,
} from '@commune-hub/protocol';
import { Aedes } from 'aedes';
import mqtt, { type IClientOptions, type MqttClient, type Packet } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterTransport } from '../../hub/src/cluster/transport.ts';
import { type ClusterNode, clusterEnv, startNode, stopNode } from '../support/cluster-node.ts';
import { TEST_TOKEN } from '../support/hub.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { waitFor } from '../support/wait.ts';

const INTERVAL_S = 2;
const authed = (url: string) => fetch(url, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
const topic = (id: string, channel: string) => `commune/v1/${id}/${channel}`;

interface Conn {
  client: MqttClient;
  sessionPresent: boolean;
}

function connect(node: ClusterNode, id: string, secret: string, options: IClientOptions = {}): Promise<Conn> {
  const client = mqtt.connect(node.mqttUrl, {
    clientId: id,
    username: id,
    password: secret,
    reconnectPeriod: 0,
    will: { topic: topic(id, 'status'), payload: Buffer.from('offline'), qos: 1, retain: true },
    ...options,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', (connack) => resolve({ client, sessionPresent: connack.sessionPresent }));
    client.once('error', reject);
  });
}

function publish(client: MqttClient, t: string, payload: string, retain = false): Promise<void> {
  return new Promise((resolve, reject) =>
    client.publish(t, payload, { qos: 1, retain }, (err) => (err ? reject(err) : resolve())),
  );
}

const heartbeat = (seq: number) => JSON.stringify({ v: 1, ts: Date.now(), seq, up: 1, st: 'ok', m: {} });

describe('a cluster shares sessions, retained messages, gateways and moving devices', () => {
  let redis: TestRedis;
  let env: Record<string, string>;
  let a: ClusterNode;
  let b: ClusterNode;
  let api: HubClient;
  let socket: Socket;
  const secrets = new Map<string, string>();
  /** Every status node B's dashboard socket showed for each device, in order. */
  const seenOnB = new Map<string, string[]>();
  const opened: MqttClient[] = [];
  const seen = (id: string) => seenOnB.get(id) ?? [];
  const last = (id: string) => seen(id).at(-1);

  async function create(id: string, kind: 'gateway' | 'loudspeaker' | 'camera', parent?: string) {
    const creds = await api.deviceCreate({
      body: { id, kind, name: id, village: 'Thôn Một', intervalS: INTERVAL_S, ...(parent && { parent }) },
    });
    secrets.set(id, creds.secret);
  }

  async function open(node: ClusterNode, id: string, options: IClientOptions = {}): Promise<Conn> {
    const conn = await connect(node, id, secrets.get(id)!, options);
    opened.push(conn.client);
    return conn;
  }

  async function transitions(node: ClusterNode, id: string): Promise<Transition[]> {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await authed(`${node.httpUrl}/api/devices/${id}/transitions?from=${from}&to=${to}`);
    return (await res.json()) as Transition[];
  }

  beforeAll(async () => {
    redis = await startRedis();
    env = { ...(await clusterEnv(redis.url, 'cluster_sessions')), HUB_PROBE_KEY: 'b'.repeat(64) };
    a = await startNode('node-a', env);
    b = await startNode('node-b', env);
    api = createHubClient({ baseUrl: a.httpUrl, token: TEST_TOKEN });
    await create('gw-sess', 'gateway');
    await create('gw-01', 'gateway');
    await create('cam-01', 'camera', 'gw-01');
    await create('spk-meta', 'loudspeaker');
    await create('spk-move', 'loudspeaker');
    await waitFor(async () => {
      const known = ((await (await authed(`${b.httpUrl}/api/devices`)).json()) as DeviceView[]).length;
      return known === secrets.size;
    }, 'node B knows every device');
    socket = io(b.httpUrl, { auth: { token: TEST_TOKEN }, transports: ['websocket'], reconnection: false });
    const note = (id: string, status: string) => {
      const list = seenOnB.get(id) ?? [];
      if (list.at(-1) !== status) list.push(status);
      seenOnB.set(id, list);
    };
    socket.on('devices:snapshot', (s: DevicesSnapshot) => {
      for (const d of s.devices) note(d.id, d.status);
    });
    socket.on('devices:diff', (diff: DevicesDiff) => {
      for (const c of diff.changes) if (c.status) note(c.id, c.status);
    });
    await waitFor(() => seenOnB.size === secrets.size, "node B's dashboard snapshot");
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    for (const client of opened) client.end(true);
    await Promise.all([stopNode(a), stopNode(b)]);
    await redis?.stop();
  }, 60_000);

  it('a clean=false QoS 1 session made on node A resumes on node B with what was queued while away', async () => {
    const first = await open(a, 'gw-sess', { clean: false });
    expect(first.sessionPresent).toBe(false);
    await new Promise<void>((resolve, reject) =>
      first.client.subscribe(topic('gw-sess', 'cmd'), { qos: 1 }, (err) => (err ? reject(err) : resolve())),
    );
    await publish(first.client, topic('gw-sess', 'hb'), heartbeat(0));
    await waitFor(() => last('gw-sess') === 'online', 'gw-sess online on B');
    // A clean DISCONNECT: the session (its subscription) stays, nothing is delivered to it meanwhile.
    await new Promise<void>((resolve) => first.client.end(false, {}, () => resolve()));
    await waitFor(() => last('gw-sess') === 'offline', 'gw-sess offline on B');

    // While it is away, a child gets a probe target (through node B): the hub publishes the gateway's
    // config, QoS 1, on its cmd topic; the persistent session queues it.
    await create('cam-sess', 'camera', 'gw-sess');
    await waitFor(
      async () => (await authed(`${b.httpUrl}/api/devices/cam-sess`)).ok,
      'node B knows cam-sess',
    );
    const apiB = createHubClient({ baseUrl: b.httpUrl, token: TEST_TOKEN });
    await apiB.deviceProbeSet({
      params: { id: 'cam-sess' },
      body: { type: 'tcp', address: '127.0.0.1', port: 9, intervalS: 10 },
    });

    // Back on node B, without subscribing again: only a session shared through Redis knows the
    // subscription and holds the queued message.
    const received: Array<{ children: Array<{ id: string }> }> = [];
    const client = mqtt.connect(b.mqttUrl, {
      clientId: 'gw-sess',
      username: 'gw-sess',
      password: secrets.get('gw-sess')!,
      clean: false,
      reconnectPeriod: 0,
    });
    opened.push(client);
    client.on('message', (t, payload) => {
      if (t === topic('gw-sess', 'cmd')) received.push(JSON.parse(payload.toString()));
    });
    const connack = await new Promise<Packet & { sessionPresent: boolean }>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
    expect(connack.sessionPresent).toBe(true);
    await waitFor(
      () => received.some((m) => m.children.some((c) => c.id === 'cam-sess')),
      'the config queued while away, delivered by node B',
    );
  }, 60_000);

  it('retained status and meta set through node A are delivered by a broker node started later', async () => {
    const device = await open(a, 'spk-meta');
    const meta = JSON.stringify({ v: 1, kind: 'loudspeaker', model: 'LOA-X1', firmware: '2.4.1' });
    await publish(device.client, topic('spk-meta', 'status'), 'online', true);
    await publish(device.client, topic('spk-meta', 'meta'), meta, true);
    await publish(device.client, topic('spk-meta', 'hb'), heartbeat(0));
    await waitFor(() => last('spk-meta') === 'online', 'spk-meta online on B');

    // No device may subscribe to another's status (policy.ts), so the subscriber is on a broker node made
    // from the hub's own ClusterTransport on the same Redis, started after the messages were published.
    const later = await startBrokerNode(redis.url);
    try {
      /** What a new subscriber on the later node gets, retained, for the device's topics. */
      const retained = async (
        what: string,
        done: (got: Map<string, string>) => boolean,
        timeoutMs = 15_000,
      ) => {
        const got = new Map<string, string>();
        const sub = mqtt.connect(`mqtt://127.0.0.1:${later.port}`, { reconnectPeriod: 0 });
        sub.on('message', (t, payload, packet) => {
          if (packet.retain) got.set(t, payload.toString());
        });
        try {
          await new Promise<void>((resolve, reject) =>
            sub.on('connect', () =>
              sub.subscribe('commune/v1/spk-meta/+', { qos: 1 }, (err) => (err ? reject(err) : resolve())),
            ),
          );
          await waitFor(
            () => {
              if (!done(got)) throw new Error(JSON.stringify([...got]));
              return true;
            },
            what,
            timeoutMs,
          );
        } finally {
          sub.end(true);
        }
      };
      await retained(
        'retained online status and meta',
        (got) =>
          got.get(topic('spk-meta', 'status')) === 'online' && got.get(topic('spk-meta', 'meta')) === meta,
      );

      // Its connection drops on node A: the last will replaces the retained status for every node.
      device.client.stream.destroy();
      await waitFor(() => last('spk-meta') === 'offline', 'spk-meta offline on B');
      await waitFor(
        () =>
          retained(
            'retained offline status and meta',
            (got) =>
              got.get(topic('spk-meta', 'status')) === 'offline' &&
              got.get(topic('spk-meta', 'meta')) === meta,
            2000,
          ).then(() => true),
        'the will retained as the status',
        30_000,
      );
    } finally {
      await later.stop();
    }
  }, 60_000);

  it("a gateway on node A and its child's heartbeats are tracked by node B; the child goes offline with the gateway's will", async () => {
    const gateway = await open(a, 'gw-01');
    let seq = 0;
    const beat = async () => {
      const s = seq++;
      await publish(gateway.client, topic('gw-01', 'hb'), heartbeat(s));
      await publish(gateway.client, topic('cam-01', 'hb'), heartbeat(s));
    };
    await beat();
    const beating = setInterval(() => beat().catch(() => {}), 1000);
    try {
      await waitFor(() => last('gw-01') === 'online' && last('cam-01') === 'online', 'both online on B');
      // Beats on for longer than the child's grace (2.5 intervals): no node times the child out.
      await waitFor(() => seq >= 4 * INTERVAL_S, 'four intervals of beats', 30_000);
      expect(seen('cam-01')).not.toContain('offline');
      const since = new Date(Date.now() - 3_600_000).toISOString();
      const res = await authed(
        `${b.httpUrl}/api/devices/cam-01/heartbeats?from=${since}&to=${new Date(Date.now() + 60_000).toISOString()}`,
      );
      expect(((await res.json()) as unknown[]).length).toBeGreaterThanOrEqual(3);
    } finally {
      clearInterval(beating);
    }
    gateway.client.stream.destroy();
    await waitFor(
      () => last('gw-01') === 'offline' && last('cam-01') === 'offline',
      'gateway and child offline on B',
    );
    const child = await waitFor(async () => {
      const list = await transitions(b, 'cam-01');
      return list.some((t) => t.to === 'offline') ? list : undefined;
    }, 'the child offline transition stored');
    expect(child.filter((t) => t.to === 'offline').map((t) => t.reason)).toEqual(['parent_down']);
  }, 60_000);

  it('a device moving from node A to node B while A lives: never offline, every acknowledged seq stored, one owner', async () => {
    const acked = new Set<number>();
    const unacked = new Map<number, string>();
    let seq = 0;
    let current = (await open(a, 'spk-move')).client;
    const send = (s: number, payload: string) =>
      current.publish(topic('spk-move', 'hb'), payload, { qos: 1 }, (err) => {
        if (err) return;
        unacked.delete(s);
        acked.add(s);
      });
    const beat = () => {
      const s = seq++;
      const payload = heartbeat(s);
      unacked.set(s, payload);
      if (current.connected) send(s, payload);
    };
    beat();
    const beating = setInterval(beat, 1000);
    try {
      await waitFor(() => last('spk-move') === 'online' && acked.size >= 3, 'online on B, three acked');
      // The same client id connects to node B while its connection to A is still open: A's broker is told
      // over the shared emitter and closes the old connection (an MQTT session takeover).
      const old = current;
      const oldClosed = new Promise<void>((resolve) => old.once('close', () => resolve()));
      current = (await open(b, 'spk-move')).client;
      for (const [s, payload] of [...unacked]) send(s, payload);
      await oldClosed;
      const movedAt = seq;
      // Beats on node B for longer than the grace (2.5 intervals) after the move: if node A still acted
      // for it, A's silence timeout would fire in this window.
      await waitFor(() => seq >= movedAt + 4 * INTERVAL_S, 'four intervals of beats on B', 30_000);
      await waitFor(() => unacked.size <= 1, 'resent heartbeats acknowledged', 30_000);
      const statuses = seen('spk-move');
      const stored = await transitions(b, 'spk-move');
      expect(statuses.slice(statuses.indexOf('online')), JSON.stringify(stored)).toEqual(['online']);
      expect(stored.filter((t) => t.to === 'offline')).toEqual([]);
    } finally {
      clearInterval(beating);
    }
    const ackedSeqs = [...acked];
    const since = new Date(Date.now() - 3_600_000).toISOString();
    await waitFor(async () => {
      const res = await authed(
        `${b.httpUrl}/api/devices/spk-move/heartbeats?from=${since}&to=${new Date(Date.now() + 60_000).toISOString()}&limit=100000`,
      );
      const stored = new Set(((await res.json()) as Array<{ seq: number }>).map((h) => h.seq));
      const missing = ackedSeqs.filter((s) => !stored.has(s));
      if (missing.length > 0) throw new Error(`acknowledged but not stored: ${missing}`);
      return true;
    }, 'every acknowledged seq stored');

    // Its connection to B drops: exactly one offline transition (node B's), none from node A.
    current.stream.destroy();
    await waitFor(() => last('spk-move') === 'offline', 'spk-move offline on B');
    const offline = await waitFor(async () => {
      const list = (await transitions(a, 'spk-move')).filter((t) => t.to === 'offline');
      return list.length > 0 ? list : undefined;
    }, 'the offline transition stored');
    expect(offline.map((t) => t.reason)).toEqual(['disconnect']);
  }, 90_000);
});

/** An aedes broker on the cluster's shared emitter and persistence, as a hub node builds it, without the hub. */
async function startBrokerNode(redisUrl: string): Promise<{ port: number; stop(): Promise<void> }> {
  const transport = new ClusterTransport(redisUrl, `test-node-${process.pid}`);
  await transport.connect();
  const parts = transport.brokerParts();
  const broker = await Aedes.createBroker({
    id: parts.id,
    mq: parts.mq as never,
    persistence: parts.persistence as never,
  });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: async () => {
      server.close(); // stops listening; aedes' close ends the connections it holds
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await transport.close();
    },
  };
}
