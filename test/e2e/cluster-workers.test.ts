/**
 * HUB_WORKERS=2 on one HTTP port and one MQTT port (node:cluster; the primary hands each new connection
 * to the next worker): both workers answer HTTP and both take MQTT connections. Each `/healthz` names
 * the worker that answered and counts its own MQTT clients. Every request here is on a connection of its
 * own (`agent: false`): on a kept-alive connection (what `fetch` does) every request meets the worker
 * that took that one connection. Nothing here asserts how fast anything was.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clusterEnv } from '../support/cluster-node.ts';
import { TEST_TOKEN } from '../support/hub.ts';
import { freePort } from '../support/net.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';

const root = path.resolve(import.meta.dirname, '../..');

interface Health {
  mqttClients: number;
  cluster?: { nodeId: string };
}

/** GET /healthz on a connection of its own. */
function health(base: string): Promise<Health> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/healthz`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(text) as Health);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
  });
}

/** A JSON request through the shared port on a connection of its own. */
function send(
  base: string,
  method: string,
  url: string,
  token: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${url}`,
      {
        method,
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('HUB_WORKERS=2: both workers answer on the shared ports', () => {
  let redis: TestRedis;
  let hub: ChildProcess | undefined;
  let base: string;
  let mqttUrl: string;
  const clients: mqtt.MqttClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const env = await clusterEnv(redis.url, 'cwk');
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${httpPort}`;
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    hub = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'hub/src/server.ts')], {
      env: {
        ...process.env,
        ...env,
        HUB_WORKERS: '2',
        HUB_CLUSTER_NODE_ID: 'wk',
        HUB_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hub-workers-')),
        HUB_HTTP_HOST: '127.0.0.1',
        HUB_HTTP_PORT: String(httpPort),
        HUB_MQTT_HOST: '127.0.0.1',
        HUB_MQTT_PORT: String(mqttPort),
        HUB_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    // Both workers are up (each holds its lease) once either one's /healthz lists two living nodes.
    await vi.waitFor(
      async () => {
        const nodes = ((await health(base)) as { cluster?: { nodes: Array<{ alive: boolean }> } }).cluster
          ?.nodes;
        if ((nodes?.filter((n) => n.alive).length ?? 0) < 2) throw new Error('both workers not up yet');
      },
      { timeout: 110_000, interval: 250 },
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    if (hub && hub.exitCode === null) {
      const exited = new Promise((r) => hub?.once('exit', r));
      hub.kill('SIGTERM');
      const timer = setTimeout(() => hub?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await redis?.stop();
  }, 60_000);

  it('fresh HTTP connections are answered by both workers', async () => {
    const answeredBy = new Set<string>();
    await vi.waitFor(
      async () => {
        const h = await health(base);
        if (h.cluster) answeredBy.add(h.cluster.nodeId);
        if (answeredBy.size < 2) throw new Error(`answered by ${[...answeredBy].join(', ')} only`);
      },
      { timeout: 30_000, interval: 50 },
    );
    expect([...answeredBy].sort()).toEqual(['wk-w0', 'wk-w1']);
  });

  it('MQTT connections on the one port are taken by both workers', async () => {
    // The first admin, made through the port with HUB_ADMIN_TOKEN, with a personal API token.
    const admin = await send(base, 'POST', '/api/users', TEST_TOKEN, {
      username: 'admin',
      password: 'test-admin-password',
      role: 'admin',
      province: true,
      apiTokenName: 'provisioning',
    });
    expect(admin.status).toBe(201);
    const token = (admin.body as { apiToken: { token: string } }).apiToken.token;
    for (let i = 0; i < 8; i++) {
      const made = await send(base, 'POST', '/api/devices', token, {
        id: `wk-probe-${i}`,
        kind: 'wifi',
        name: `Wifi ${i}`,
        village: 'Thôn 1',
      });
      expect(made.status).toBe(201);
      const creds = made.body as { id: string; secret: string };
      // A device made through one worker may connect to the other before that one has read it: retried.
      const client = await vi.waitFor(
        () =>
          mqtt.connectAsync(mqttUrl, {
            clientId: creds.id,
            username: creds.id,
            password: creds.secret,
            reconnectPeriod: 0,
          }),
        { timeout: 30_000, interval: 200 },
      );
      clients.push(client);
    }
    // Each worker counts its own clients: poll /healthz until both workers have shown theirs.
    const byWorker = new Map<string, number>();
    await vi.waitFor(
      async () => {
        const h = await health(base);
        if (h.cluster) byWorker.set(h.cluster.nodeId, h.mqttClients);
        const counts = [...byWorker.values()];
        if (byWorker.size < 2 || counts.reduce((a, b) => a + b, 0) !== 8) {
          throw new Error(`mqtt clients by worker: ${JSON.stringify([...byWorker])}`);
        }
      },
      { timeout: 30_000, interval: 50 },
    );
    for (const count of byWorker.values()) expect(count).toBeGreaterThan(0);
  });
});
