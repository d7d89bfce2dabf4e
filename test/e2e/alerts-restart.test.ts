import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedHub } from '@commune-hub/hub';
import type { Alert } from '@commune-hub/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { authHeaders, provision, startTestHub, TEST_TOKEN } from '../support/hub.ts';

/** Rules and open alerts live in SQLite: a hub restart keeps a firing alert (same id) and still resolves it. */
describe('alerts survive a hub restart', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-restart-'));
  let t = Date.parse('2026-12-01T02:00:00Z');
  const clock = { now: () => t };
  let hub: StartedHub | undefined;
  let device: TestDevice | undefined;
  afterAll(async () => {
    device?.client.end(true);
    await hub?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const start = () => startTestHub({ dataDir, livenessSweepMs: 10, alertsTickMs: 20 }, { clock });
  const list = async (state: string) =>
    (
      (await (
        await fetch(`${hub?.httpUrl}/api/alerts?state=${state}&from=0`, { headers: authHeaders(hub!) })
      ).json()) as { alerts: Alert[] }
    ).alerts;

  it('keeps the firing alert across the restart and resolves it when the device is back', async () => {
    hub = await start();
    const creds = await provision(hub, {
      id: 'w1',
      kind: 'wifi',
      name: 'Wifi chợ',
      village: 'Thôn 3',
      intervalS: 30,
    });
    const res = await fetch(`${hub.httpUrl}/api/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({
        name: 'Wifi mất kết nối',
        scope: {},
        condition: { kind: 'offline_for', forMin: 5 },
        notify: { channelIds: [] },
      }),
    });
    expect(res.status).toBe(201);
    device = await connectDevice(hub.mqttUrl, creds);
    await device.beat({ ts: t });
    device.kill();
    await expect.poll(async () => (await list('pending')).length).toBe(1);
    t += 6 * 60_000;
    await expect.poll(async () => (await list('firing')).length).toBe(1);
    const [before] = await list('firing');
    await hub.close();

    t += 60 * 60_000;
    hub = await start();
    await new Promise((r) => setTimeout(r, 200)); // a few ticks of the restarted hub
    const after = await list('firing');
    expect(after.map((a) => a.id)).toEqual([before?.id]);
    expect(
      (await (await fetch(`${hub.httpUrl}/api/alerts/rules`, { headers: authHeaders(hub) })).json()).length,
    ).toBe(1);

    device = await connectDevice(hub.mqttUrl, creds);
    await device.beat({ ts: t, seq: 100 });
    await expect.poll(async () => (await list('resolved')).map((a) => a.id)).toEqual([before?.id]);
    const [resolved] = await list('resolved');
    expect(resolved?.durationS).toBe(Math.round((t - Date.parse(before?.since ?? '')) / 1000));
  });
});
