import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { metric, provision, startTestHub } from '../support/hub.ts';

const childScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/hub-child.ts');

interface ChildHub {
  child: ChildProcess;
  httpUrl: string;
  mqttUrl: string;
  adminToken: string;
}

function spawnHub(env: Record<string, string>): Promise<ChildHub> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ...(m as Omit<ChildHub, 'child'>) }));
    child.once('exit', (code) => reject(new Error(`hub child exited with ${code} before it was ready`)));
  });
}

const DEVICES = 4;
const BEATS = 150;

/**
 * "PUBACK means stored" (issue 9): a hub in its own process takes a burst of QoS 1 heartbeats from real
 * MQTT.js devices and is killed with SIGKILL as soon as most of them are acknowledged. After a restart,
 * every heartbeat whose PUBACK a device received is in the store, and its time is in the coverage record.
 * The kill lands in the middle of the burst and of the group commits (50 ms apart): a hub that acknowledged
 * before committing (as it did, flushing every 200 ms) loses acknowledged rows here; verified to fail then.
 */
describe('an acknowledged heartbeat survives SIGKILL', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-ack-durability-'));
  let child: ChildProcess | undefined;
  let restarted: StartedHub | undefined;
  const devices: TestDevice[] = [];

  afterEach(async () => {
    for (const d of devices) d.client.end(true);
    child?.kill('SIGKILL');
    await restarted?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every heartbeat whose PUBACK went out', async () => {
    const hub = await spawnHub({ HUB_DATA_DIR: dataDir, HUB_COMMIT_INTERVAL_MS: '50' });
    child = hub.child;
    const exited = new Promise<void>((resolve) => hub.child.once('exit', () => resolve()));
    const handle = { httpUrl: hub.httpUrl, adminToken: hub.adminToken } as StartedHub;
    for (let i = 0; i < DEVICES; i++) {
      const creds = await provision(handle, {
        id: `ack-${i}`,
        kind: 'wifi',
        name: `Điểm wifi ${i}`,
        village: 'Thôn 1',
        intervalS: 1,
      });
      devices.push(await connectDevice(hub.mqttUrl, creds));
    }

    // Every device publishes its whole burst at once; each PUBACK is recorded. When 60% are acknowledged
    // the hub is killed on the spot, in the middle of the burst and of the group commits.
    const base = Date.now() - 60_000;
    const acked = new Map<string, Set<number>>(devices.map((d) => [d.id, new Set<number>()]));
    let ackedCount = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      hub.child.kill('SIGKILL');
    };
    const sends: Promise<unknown>[] = [];
    for (const d of devices) {
      for (let seq = 0; seq < BEATS; seq++) {
        const payload = { v: 1, ts: base + seq * 100, seq, up: seq, st: 'ok', m: { x: seq } };
        const sent = d.client.publishAsync(`commune/v1/${d.id}/hb`, JSON.stringify(payload), { qos: 1 }).then(
          () => {
            if (killed) return;
            acked.get(d.id)!.add(seq);
            if (++ackedCount >= DEVICES * BEATS * 0.6) kill();
          },
          () => {},
        );
        sends.push(sent);
      }
    }
    await exited;
    expect(killed, 'the hub was killed by the test, after the burst was mostly acknowledged').toBe(true);
    expect(ackedCount).toBeGreaterThanOrEqual(DEVICES * BEATS * 0.6);
    for (const d of devices) d.client.end(true);

    restarted = await startTestHub({ dataDir });
    for (const d of devices) {
      const stored = await restarted.app.store.heartbeats(d.id, { from: 0, to: Date.now() }, 10_000);
      const storedSeqs = new Set(stored.map((r) => r.seq));
      const lost = [...acked.get(d.id)!].filter((seq) => !storedSeqs.has(seq));
      expect(lost, `${d.id}: acknowledged but not stored`).toEqual([]);
    }
    // The coverage record (registry.db) covers the time of every acknowledged heartbeat.
    for (const d of devices) {
      const uncovered = [...acked.get(d.id)!].filter((seq) => {
        const ts = base + seq * 100;
        return restarted!.app.coverage.covered(d.id, ts, ts + 1).length === 0;
      });
      expect(uncovered, `${d.id}: acknowledged heartbeats missing from coverage`).toEqual([]);
    }
  }, 120_000);
});

/**
 * When the commit fails, the PUBACK is not sent: the hub closes the connection (aedes does, on an error from
 * authorizePublish), the device reconnects and resends, and once the store works again the heartbeat is
 * stored and acknowledged. The failure is made real: a trigger in timeseries.db refuses the row, as a full
 * disk would.
 */
describe('a failed commit withholds the PUBACK', () => {
  let hub: StartedHub | undefined;
  let client: mqtt.MqttClient | undefined;

  afterEach(async () => {
    client?.end(true);
    await hub?.close();
  });

  it('closes the connection instead, and the resent heartbeat is stored once the store recovers', async () => {
    hub = await startTestHub({ commitIntervalMs: 5 });
    const creds = await provision(hub, { id: 'wifi-1', kind: 'wifi', name: 'Điểm wifi', village: 'Thôn 1' });
    client = mqtt.connect(hub.mqttUrl, {
      clientId: creds.id,
      username: creds.id,
      password: creds.secret,
      reconnectPeriod: 100,
    });
    await new Promise<void>((resolve) => client!.once('connect', () => resolve()));
    const beat = (seq: number) =>
      client!.publishAsync(
        `commune/v1/${creds.id}/hb`,
        JSON.stringify({ v: 1, ts: Date.now(), seq, up: seq, st: 'ok', m: {} }),
        { qos: 1 },
      );
    await beat(1);

    const db = new Database(`${hub.config.dataDir}/timeseries.db`);
    db.exec(
      "CREATE TRIGGER poison BEFORE INSERT ON heartbeats WHEN NEW.seq = 2 BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    let acked = false;
    const closed = new Promise<void>((resolve) => client!.once('close', () => resolve()));
    const second = beat(2).then(() => {
      acked = true;
    });
    await closed;
    expect(acked, 'no PUBACK for a heartbeat that was not committed').toBe(false);
    expect(await metric(hub, 'hub_store_commit_failures_total', { step: 'store' })).toBeGreaterThanOrEqual(1);

    db.exec('DROP TRIGGER poison');
    db.close();
    // MQTT.js resends the unacknowledged publish after reconnecting; it is acknowledged once stored.
    await second;
    const stored = await hub.app.store.heartbeats(creds.id, { from: 0, to: Date.now() + 1000 }, 10);
    expect(stored.map((r) => r.seq)).toEqual([1, 2]);
    expect(await metric(hub, 'hub_store_lost_rows_total')).toBe(0);
  });
});
