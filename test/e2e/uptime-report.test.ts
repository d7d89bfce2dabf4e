import type { StartedHub } from '@commune-hub/hub';
import { HubApiError, type HubClient } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { hubClient, startTestHub, waitFor } from '../support/hub.ts';

/**
 * GET /api/uptime/report on a scripted three hours (injected clock, real MQTT). Interval 60 s, grace 150 s.
 *   cam-a: beats every minute, killed at 1:30:00 and back 1.3 s later  → down 1.3 s in hour 2
 *   cam-b: beats every minute until 0:45, silent after                  → down from 0:47:30 on
 *   wifi-c: beats every minute, maintenance [2:00, 2:30)               → maintenance 1800 s in hour 3
 * The report's cells add up to each device's figures, its per-kind and per-village totals are the ones
 * /api/uptime answers for that kind or village, and more than 1000 cells per device is refused.
 */
describe('GET /api/uptime/report', () => {
  const T0 = Date.UTC(2026, 5, 1, 1, 0, 0);
  const H = 3_600_000;
  const clock = { t: T0 - 60_000, now: () => clock.t };
  let hub: StartedHub;
  let api: HubClient;
  const devices = new Map<string, TestDevice>();
  const creds = new Map<string, { id: string; secret: string }>();

  const beat = (id: string) => devices.get(id)!.beat({ ts: clock.t });
  const statusOf = async (id: string) => (await api.deviceGet({ params: { id } })).status;

  beforeAll(async () => {
    hub = await startTestHub({ livenessSweepMs: 10 }, { clock });
    api = hubClient(hub);
    for (const [id, kind, village] of [
      ['cam-a', 'camera', 'Thôn 1'],
      ['cam-b', 'camera', 'Thôn 2'],
      ['wifi-c', 'wifi', 'Thôn 1'],
    ] as const) {
      creds.set(id, await api.deviceCreate({ body: { id, kind, name: id, village, intervalS: 60 } }));
      devices.set(id, await connectDevice(hub.mqttUrl, creds.get(id)!));
    }
    await api.maintenanceCreate({
      body: { deviceIds: ['wifi-c'], from: String(T0 + 2 * H), to: String(T0 + 2.5 * H) },
    });
    for (let s = -60; s < 3 * 3600; s += 60) {
      clock.t = T0 + s * 1000;
      await beat('cam-a');
      await beat('wifi-c');
      if (s <= 45 * 60) await beat('cam-b');
      if (s === 90 * 60) {
        devices.get('cam-a')!.kill();
        await waitFor(async () => (await statusOf('cam-a')) === 'offline', 'cam-a offline by last will');
        clock.t += 1_300;
        devices.set('cam-a', await connectDevice(hub.mqttUrl, creds.get('cam-a')!));
        await beat('cam-a');
      }
    }
    clock.t = T0 + 3 * H + 60_000;
  }, 120_000);

  afterAll(async () => {
    for (const d of devices.values()) d.client.end(true);
    await hub?.close();
  });

  it('cells add up to each device, totals per kind and village equal /api/uptime', async () => {
    const range = { from: String(T0), to: String(T0 + 3 * H) };
    const report = await api.uptimeReport({ query: { ...range, bucket: 'hour' } });
    expect(report.bucketS).toBe(3600);
    const byId = new Map(report.devices.map((d) => [d.deviceId, d]));
    for (const d of report.devices) {
      expect(d.cells.map((c) => c.start)).toEqual([T0, T0 + H, T0 + 2 * H]);
      for (const key of ['up_s', 'down_s', 'unknown_s', 'maintenance_s'] as const) {
        expect(d.cells.reduce((n, c) => n + c[key], 0)).toBeCloseTo(d[key], 6);
      }
    }
    expect(byId.get('cam-a')!.down_s).toBeCloseTo(1.3, 6);
    expect(byId.get('cam-a')!.cells[1]!.down_s).toBeCloseTo(1.3, 6);
    expect(byId.get('cam-b')!.cells[0]!.down_s).toBeCloseTo(750, 6);
    expect(byId.get('wifi-c')!.cells[2]!.maintenance_s).toBe(1800);

    for (const kind of ['camera', 'wifi'] as const) {
      const fleet = await api.fleetUptime({ query: { ...range, kind } });
      const row = report.byKind.find((r) => r.key === kind)!;
      expect(row).toMatchObject({ ...fleet.total, devices: fleet.devices.length });
    }
    for (const village of ['Thôn 1', 'Thôn 2']) {
      const fleet = await api.fleetUptime({ query: { ...range, village } });
      expect(report.byVillage.find((r) => r.key === village)).toMatchObject(fleet.total);
    }
    const all = await api.fleetUptime({ query: range });
    expect(report.total).toEqual(all.total);

    const cameras = await api.uptimeReport({ query: { ...range, kind: 'camera' } });
    expect(cameras.devices.map((d) => d.deviceId).sort()).toEqual(['cam-a', 'cam-b']);
    expect(cameras.bucket).toBe('day');

    const one = await api.uptimeReport({ query: { ...range, bucket: 'hour', device: 'cam-a' } });
    expect(one.devices).toEqual([byId.get('cam-a')]);
    const missing = await api
      .uptimeReport({ query: { ...range, device: 'no-such' } })
      .catch((e: unknown) => e);
    expect((missing as HubApiError).code).toBe('HUB_ERR_DEVICE_NOT_FOUND');
  });

  it('refuses more than 1000 cells per device with HUB_ERR_BAD_TIME_RANGE', async () => {
    const error = await api
      .uptimeReport({ query: { from: String(T0 - 42 * 24 * H), to: String(T0), bucket: 'hour' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect((error as HubApiError).code).toBe('HUB_ERR_BAD_TIME_RANGE');
  });
});
