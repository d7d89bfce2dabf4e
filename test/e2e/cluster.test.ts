/**
 * Two hub nodes (each its own process) sharing Redis (cluster mode), PostgreSQL (HUB_DB=postgres) and
 * InfluxDB, all on loopback. 200 devices spread over both; node B's dashboard socket sees a device on node
 * A go offline; then node A is killed with SIGKILL: its devices reconnect to B, no acknowledged heartbeat is
 * lost (by seq), none is counted down for longer than it took to reconnect, and A's death is on B's /healthz.
 * Nothing here asserts how fast anything was; the offline latency is measured and printed.
 */
import {
  createHubClient,
  type DeviceCredentials,
  type DevicesDiff,
  type DevicesSnapshot,
  type DeviceView,
  type Health,
} from '@commune-hub/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterNode, clusterEnv, startNode, stopNode } from '../support/cluster-node.ts';
import { TEST_TOKEN } from '../support/hub.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { waitFor } from '../support/wait.ts';

/** Every read needs a role (issue 14): each node's first admin holds TEST_TOKEN (test/support/hub-child.ts). */
const authed = (url: string) => fetch(url, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
const DEVICES = 200;
const INTERVAL_S = 2;

/** A device as an agent behaves: QoS 1 heartbeats with a seq, kept until acknowledged, resent after a reconnect. */
class Device {
  client: MqttClient | undefined;
  seq = 0;
  readonly acked = new Set<number>();
  readonly unacked = new Map<number, string>();
  node: string;
  droppedAt: number | undefined;
  reconnectMs: number | undefined;

  constructor(
    readonly creds: DeviceCredentials,
    node: ClusterNode,
  ) {
    this.node = node.name;
  }

  async connect(node: ClusterNode): Promise<void> {
    this.node = node.name;
    const client = mqtt.connect(node.mqttUrl, {
      clientId: this.creds.id,
      username: this.creds.id,
      password: this.creds.secret,
      reconnectPeriod: 0,
      will: {
        topic: `commune/v1/${this.creds.id}/status`,
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    // Resend what the previous node never acknowledged, oldest first (the agent's spool).
    for (const [seq, payload] of [...this.unacked]) this.send(seq, payload);
  }

  private send(seq: number, payload: string): void {
    this.client?.publish(`commune/v1/${this.creds.id}/hb`, payload, { qos: 1 }, (err) => {
      if (err) return; // stays in `unacked`: resent after the reconnect
      this.unacked.delete(seq);
      this.acked.add(seq);
    });
  }

  beat(): void {
    const seq = this.seq++;
    const payload = JSON.stringify({ v: 1, ts: Date.now(), seq, up: 1, st: 'ok', m: { x: seq } });
    this.unacked.set(seq, payload);
    if (this.client?.connected) this.send(seq, payload);
  }
}

describe('two hub nodes on Redis + PostgreSQL', () => {
  let redis: TestRedis;
  let a: ClusterNode;
  let b: ClusterNode;
  let devices: Device[] = [];
  let socket: Socket;
  let beating: NodeJS.Timeout | undefined;
  let firstBeatAt = 0;
  const live = new Map<string, { status: string; at: number }>();

  beforeAll(async () => {
    redis = await startRedis();
    const env = await clusterEnv(redis.url, 'cluster');
    a = await startNode('node-a', env);
    b = await startNode('node-b', env);
    const client = createHubClient({ baseUrl: a.httpUrl, token: TEST_TOKEN });
    for (let i = 0; i < DEVICES; i++) {
      const creds = await client.deviceCreate({
        body: {
          id: `spk-${i}`,
          kind: 'loudspeaker',
          name: `Loa ${i}`,
          village: 'Thôn Một',
          intervalS: INTERVAL_S,
        },
      });
      devices.push(new Device(creds, i % 2 === 0 ? a : b));
    }
    socket = io(b.httpUrl, { auth: { token: TEST_TOKEN }, transports: ['websocket'], reconnection: false });
    socket.on('devices:snapshot', (s: DevicesSnapshot) => {
      for (const d of s.devices) live.set(d.id, { status: d.status, at: Date.now() });
    });
    socket.on('devices:diff', (diff: DevicesDiff) => {
      for (const c of diff.changes) {
        if (c.status && live.get(c.id)?.status !== c.status)
          live.set(c.id, { status: c.status, at: Date.now() });
      }
    });
    // Devices made on node A are known to node B (through PostgreSQL) before they connect there.
    await waitFor(async () => {
      const res = await authed(`${b.httpUrl}/api/devices`);
      const known = ((await res.json()) as DeviceView[]).length;
      if (known !== DEVICES) throw new Error(`node B knows ${known}`);
      return true;
    }, 'node B knows every device');
    await Promise.all(devices.map((d, i) => d.connect(i % 2 === 0 ? a : b)));
    firstBeatAt = Date.now();
    for (const d of devices) d.beat();
    beating = setInterval(() => {
      for (const d of devices) d.beat();
    }, 1000);
  }, 120_000);

  afterAll(async () => {
    if (beating) clearInterval(beating);
    socket?.close();
    for (const d of devices) d.client?.end(true);
    for (const node of [a, b]) {
      const running = node?.child.exitCode === null && node.child.signalCode === null;
      const started = Date.now();
      await stopNode(node);
      if (running)
        console.log(
          `[cluster] ${node.name} closed in ${Date.now() - started} ms (${node.child.signalCode ?? 'clean'})`,
        );
    }
    await redis?.stop();
  }, 60_000);

  it('every device is online on node B, wherever it is connected', async () => {
    await waitFor(
      () => devices.every((d) => live.get(d.creds.id)?.status === 'online'),
      'all 200 online on B',
      30_000,
    );
    const health = (await (await fetch(`${b.httpUrl}/healthz`)).json()) as Health;
    expect(health.cluster?.nodes.map((n) => [n.id, n.alive])).toEqual([
      ['node-a', true],
      ['node-b', true],
    ]);
  }, 60_000);

  it("node B's dashboard socket sees a device on node A go offline", async () => {
    const device = devices[0]!;
    expect(device.node).toBe('node-a');
    const dropped = Date.now();
    device.client!.stream.destroy();
    device.client!.end(true);
    devices = devices.slice(1);
    await waitFor(() => live.get(device.creds.id)?.status === 'offline', 'B sees the offline');
    const seenAfterMs = live.get(device.creds.id)!.at - dropped;
    console.log(`[cluster] device on node A dropped → offline on node B's socket after ${seenAfterMs} ms`);
  }, 30_000);

  it('kill -9 of node A: its devices reconnect to B, no acknowledged heartbeat lost, none counted down', async () => {
    await waitFor(
      () => devices.every((d) => d.acked.size >= 3),
      'three heartbeats acknowledged each',
      30_000,
    );
    const killedAt = Date.now();
    const moved = devices.filter((d) => d.node === 'node-a');
    for (const d of moved) {
      d.client!.once('close', () => {
        d.droppedAt = Date.now();
        d.connect(b).then(
          () => {
            d.reconnectMs = Date.now() - d.droppedAt!;
          },
          () => {},
        );
      });
    }
    a.child.kill('SIGKILL');
    await waitFor(
      () => moved.every((d) => d.reconnectMs !== undefined),
      'node A devices reconnected to B',
      30_000,
    );
    await waitFor(
      async () => {
        const health = (await (await fetch(`${b.httpUrl}/healthz`)).json()) as Health;
        return health.cluster?.nodes.find((n) => n.id === 'node-a')?.alive === false;
      },
      "node A's death on B's /healthz",
      30_000,
    );
    const seenDeadMs = Date.now() - killedAt;
    // A few more beats on B. The devices keep beating (a pause would rightly time them out); what was
    // acknowledged up to now is checked.
    const seqAfter = Math.max(...moved.map((d) => d.seq)) + 3;
    await waitFor(() => moved.every((d) => d.seq >= seqAfter), 'three more beats');
    await waitFor(() => moved.every((d) => d.unacked.size <= 1), 'resent heartbeats acknowledged', 30_000);
    const ackedBefore = new Map(moved.map((d) => [d, [...d.acked]]));
    expect(devices.every((d) => live.get(d.creds.id)?.status === 'online')).toBe(true);

    // From shortly before the kill, when every device was beating (before its first heartbeat, a registered
    // device is rightly down).
    const from = new Date(Math.max(killedAt - 5000, firstBeatAt + 100)).toISOString();
    const since = new Date(firstBeatAt - 60_000).toISOString();
    const to = new Date().toISOString();
    let worstDownS = 0;
    for (const d of moved) {
      await waitFor(async () => {
        const res = await authed(
          `${b.httpUrl}/api/devices/${d.creds.id}/heartbeats?from=${since}&to=${to}&limit=100000`,
        );
        const stored = new Set(((await res.json()) as Array<{ seq: number }>).map((h) => h.seq));
        const missing = ackedBefore.get(d)!.filter((s) => !stored.has(s));
        if (missing.length > 0) throw new Error(`${d.creds.id}: acknowledged but not stored: ${missing}`);
        return true;
      }, `${d.creds.id} acknowledged heartbeats stored`);
      const uptime = (await (
        await authed(`${b.httpUrl}/api/devices/${d.creds.id}/uptime?from=${from}&to=${to}`)
      ).json()) as { down_s: number };
      worstDownS = Math.max(worstDownS, uptime.down_s);
      if (uptime.down_s * 1000 > d.reconnectMs! + 1000) {
        const res = await authed(
          `${b.httpUrl}/api/devices/${d.creds.id}/heartbeats?from=${from}&to=${to}&limit=100000`,
        );
        const beats = ((await res.json()) as Array<{ seq: number; ts: string }>).map(
          (h) => `${h.seq}@${h.ts.slice(17, 23)}`,
        );
        console.log(
          `[cluster] ${d.creds.id} down ${uptime.down_s}s; killed ${new Date(killedAt).toISOString().slice(17, 23)} dropped ${new Date(d.droppedAt!).toISOString().slice(17, 23)} reconnect ${d.reconnectMs} ms; uptime ${JSON.stringify(uptime)}; beats ${beats.join(' ')}`,
        );
      }
      expect(uptime.down_s * 1000, d.creds.id).toBeLessThanOrEqual(d.reconnectMs! + 1000);
      const transitions = (await (
        await authed(`${b.httpUrl}/api/devices/${d.creds.id}/transitions?from=${from}&to=${to}`)
      ).json()) as Array<{ to: string; at: string }>;
      expect(
        transitions.filter((t) => t.to === 'offline'),
        `${d.creds.id} (killed ${new Date(killedAt).toISOString()}, dropped ${new Date(d.droppedAt!).toISOString()}, reconnected after ${d.reconnectMs} ms): ${JSON.stringify(transitions)}`,
      ).toEqual([]);
    }
    const reconnects = moved.map((d) => d.reconnectMs!).sort((x, y) => x - y);
    console.log(
      `[cluster] kill -9 node A: ${moved.length} devices reconnected to B (median ${reconnects[reconnects.length >> 1]} ms, max ${reconnects.at(-1)} ms); A dead on B's /healthz after ${seenDeadMs} ms; worst down ${worstDownS} s`,
    );
  }, 120_000);
});
