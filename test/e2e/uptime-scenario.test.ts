import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedHub } from '@commune-hub/hub';
import type { DeviceCredentials, DeviceUptime, FleetUptime } from '@commune-hub/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { getDevice, getJson, provision, startTestHub, TEST_TOKEN, waitFor } from '../support/hub.ts';

/**
 * A scripted hour, hand-computed to the second. The hub runs on an injected clock the test moves;
 * devices talk real MQTT and stamp heartbeats with that clock. Grace = 2.5 × 30 s = 75 s.
 *
 *   hub:  runs [0, 1800), stopped ten minutes, runs [2400, 3600)
 *   A:    beats every 30 s while the hub runs, no buffer     → up [0,1845)+[2400,3600) = 3045, unknown 555
 *   B:    killed at 600 (last will), back at 900; buffers while the hub is down and delivers late
 *         → up [0,600)+[900,3600) = 3300, down 300
 *   C:    like A, with maintenance [1200, 1500)              → up 2745, maintenance 300, unknown 555
 *   D:    provisioned, never heard                           → down 3000, unknown 600
 */
describe('uptime of a scripted scenario equals the hand-computed figures to the second', () => {
  const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
  let t = T0;
  const clock = { now: () => t };
  const at = (s: number) => {
    t = T0 + s * 1000;
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uptime-scenario-'));
  let hub: StartedHub;
  const creds = new Map<string, DeviceCredentials>();
  const devices = new Map<string, TestDevice>();
  const seqs = new Map<string, number>();

  const start = () => startTestHub({ dataDir, livenessSweepMs: 10, adminToken: TEST_TOKEN }, { clock });
  const connect = async (id: string) => {
    const d = await connectDevice(hub.mqttUrl, creds.get(id)!);
    devices.set(id, d);
  };
  const beat = async (id: string, tsS?: number) => {
    const d = devices.get(id)!;
    const seq = seqs.get(id) ?? 0;
    seqs.set(id, seq + 1);
    await d.beat({ ts: tsS === undefined ? t : T0 + tsS * 1000, seq });
  };

  afterAll(async () => {
    for (const d of devices.values()) d.client.end(true);
    await hub?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the scenario and reports exact uptime per device and in total', async () => {
    at(0);
    hub = await start();
    for (const id of ['dev-a', 'dev-b', 'dev-c', 'dev-d']) {
      creds.set(id, await provision(hub, { id, kind: 'wifi', name: id, village: 'Thôn 1', intervalS: 30 }));
    }
    const post = await fetch(`${hub.httpUrl}/api/maintenance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({
        deviceIds: ['dev-c'],
        from: String(T0 + 1200_000),
        to: String(T0 + 1500_000),
        note: 'thay ắc quy',
      }),
    });
    expect(post.status).toBe(201);
    for (const id of ['dev-a', 'dev-b', 'dev-c']) await connect(id);

    for (let s = 0; s < 1800; s += 30) {
      at(s);
      if (s === 600) {
        devices.get('dev-b')!.kill();
        await waitFor(
          async () => (await getDevice(hub, 'dev-b')).status === 'offline',
          'B offline by last will',
        );
      }
      if (s === 900) await connect('dev-b');
      await beat('dev-a');
      await beat('dev-c');
      if (s < 600 || s >= 900) await beat('dev-b');
      if (s === 1200) {
        await waitFor(
          async () => (await getDevice(hub, 'dev-c')).status === 'maintenance',
          'C in maintenance',
        );
      }
    }

    // The hub stops for ten minutes. Its own shutdown is not the devices' downtime.
    at(1800);
    await hub.close();
    for (const d of devices.values()) d.client.end(true);
    at(2400);
    hub = await start();
    for (const id of ['dev-a', 'dev-b', 'dev-c']) {
      const after = await getDevice(hub, id);
      const tr = await getJson<Array<{ to: string; reason: string; at: string }>>(
        hub,
        `/api/devices/${id}/transitions?from=${T0}&to=${T0 + 4000_000}`,
      );
      const story = tr.map((x) => `${x.to}:${x.reason}@${(Date.parse(x.at) - T0) / 1000}`).join(' ');
      expect(after.status, `${id}: ${story}`).toBe('online');
      await connect(id);
    }
    for (let s = 1800; s < 2400; s += 30) await beat('dev-b', s); // B's buffer, delivered late
    for (let s = 2400; s < 3600; s += 30) {
      at(s);
      await beat('dev-a');
      await beat('dev-b');
      await beat('dev-c');
    }
    at(3600);

    const q = `from=${T0}&to=${T0 + 3600_000}`;
    const one = (id: string) => getJson<DeviceUptime>(hub, `/api/devices/${id}/uptime?${q}`);
    const figures = (u: DeviceUptime) => [u.up_s, u.down_s, u.unknown_s, u.maintenance_s];
    expect(figures(await one('dev-a'))).toEqual([3045, 0, 555, 0]);
    expect(figures(await one('dev-b'))).toEqual([3300, 300, 0, 0]);
    expect(figures(await one('dev-c'))).toEqual([2745, 0, 555, 300]);
    expect(figures(await one('dev-d'))).toEqual([0, 3000, 600, 0]);
    expect((await one('dev-b')).ratio).toBeCloseTo(3300 / 3600, 12);

    const fleet = await getJson<FleetUptime>(hub, `/api/uptime?${q}&village=${encodeURIComponent('Thôn 1')}`);
    expect(fleet.devices).toHaveLength(4);
    expect([fleet.total.up_s, fleet.total.down_s, fleet.total.unknown_s, fleet.total.maintenance_s]).toEqual([
      9090, 3300, 1710, 300,
    ]);
    const transitions = await getJson<Array<{ to: string; reason: string; at: string }>>(
      hub,
      `/api/devices/dev-c/transitions?${q}`,
    );
    expect(transitions.map((x) => `${x.to}:${x.reason}@${(Date.parse(x.at) - T0) / 1000}`)).toEqual([
      'online:heartbeat@0',
      'maintenance:maintenance@1200',
      'online:maintenance@1500',
    ]);
  });
});

describe('history older than the device’s registration counts', () => {
  it('a device registered after it was installed gets uptime from its buffered heartbeats', async () => {
    const T = Date.UTC(2026, 6, 1, 12, 0, 0);
    let now = T;
    const hub = await startTestHub({ livenessSweepMs: 10 }, { clock: { now: () => now } });
    try {
      const creds = await provision(hub, {
        id: 'late-01',
        kind: 'wifi',
        name: 'Wifi',
        village: 'Thôn 9',
        intervalS: 30,
      });
      const device = await connectDevice(hub.mqttUrl, creds);
      // Two hours of the agent's buffer, oldest first, delivered right after registration.
      for (let s = -7200; s < 0; s += 30) await device.beat({ ts: T + s * 1000, seq: s + 7200 });
      now = T + 60_000;
      await device.beat({ ts: now, seq: 99_999 });
      const u = await getJson<DeviceUptime>(hub, `/api/devices/late-01/uptime?from=${T - 7_200_000}&to=${T}`);
      expect([u.up_s, u.down_s, u.unknown_s]).toEqual([7200, 0, 0]);
      device.client.end(true);
    } finally {
      await hub.close();
    }
  });
});
