import type { StartedHub } from '@commune-hub/hub';
import type { DeviceView, Transition } from '@commune-hub/protocol';
import {
  createLogger,
  type LiveHandle,
  loadScenario,
  provisionDevices,
  runLive,
} from '@commune-hub/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDevice, getJson, startTestHub, TEST_TOKEN, waitFor } from '../support/hub.ts';

// Provisioning is idempotent and brings existing devices in line with the run: a rerun at another
// --speed must give the hub the interval (so the grace) the devices now really beat at.
describe('simulator provisioning against a hub that already knows the devices', () => {
  const scenario = loadScenario('hoang-kim');
  const logger = createLogger('silent');
  let hub: StartedHub;
  let sim: LiveHandle | undefined;

  beforeAll(async () => {
    hub = await startTestHub({ livenessSweepMs: 20 });
  });
  afterAll(async () => {
    await sim?.stop().catch(() => undefined);
    await hub?.close();
  });

  it('a rerun at --speed 30 patches interval, name and village, and the hub times out on the new grace', async () => {
    // An earlier run at real speed, and a name and village since changed in the scenario file.
    await provisionDevices({
      hubUrl: hub.httpUrl,
      adminToken: TEST_TOKEN,
      devices: [
        { id: 'hk-wifi-01', kind: 'wifi', name: 'Tên cũ', village: 'Thôn 9', intervalS: 30 },
        { id: 'hk-wifi-02', kind: 'wifi', name: 'Wifi công cộng 2 - UBND xã Hoàng Kim', village: 'Thôn 3' },
      ],
    });
    expect((await getDevice(hub, 'hk-wifi-01')).intervalS).toBe(30);

    sim = await runLive({
      scenario,
      limit: 2,
      speed: 30,
      failures: false,
      hubUrl: hub.httpUrl,
      mqttUrl: hub.mqttUrl,
      adminToken: TEST_TOKEN,
      logger,
    });
    const want = scenario.devices.find((d) => d.id === 'hk-wifi-01')!;
    for (const id of ['hk-wifi-01', 'hk-wifi-02']) {
      const d = await getDevice(hub, id);
      expect({ intervalS: d.intervalS, village: d.village }, id).toEqual({ intervalS: 1, village: 'Thôn 3' });
    }
    expect((await getDevice(hub, 'hk-wifi-01')).name).toBe(want.name);

    // Silent device: the hub's deadline is one grace of the new interval (2.5 s), not of 30 s (75 s).
    await waitFor(async () => (await getDevice(hub, 'hk-wifi-01')).status === 'online', 'online');
    sim.silence('hk-wifi-01');
    const offline = await waitFor(async () => {
      const d = await getDevice(hub, 'hk-wifi-01');
      return d.status === 'offline' ? d : undefined;
    }, 'offline by timeout');
    expect(offline.reason).toBe('timeout');
    const transitions = await getJson<Transition[]>(hub, '/api/devices/hk-wifi-01/transitions');
    const timeout = transitions.filter((t) => t.reason === 'timeout').at(-1)!;
    const silentForMs = Date.parse(timeout.at) - Date.parse(offline.lastSeen!);
    expect(silentForMs).toBeGreaterThanOrEqual(2500);
    expect(silentForMs).toBeLessThan(30_000);
  });

  it('refuses to reuse an id the hub has as another kind', async () => {
    await expect(
      provisionDevices({
        hubUrl: hub.httpUrl,
        adminToken: TEST_TOKEN,
        devices: [{ id: 'hk-wifi-02', kind: 'camera', name: 'x', village: 'Thôn 3' }],
      }),
    ).rejects.toMatchObject({ code: 'SIM_ERR_PROVISION', message: expect.stringContaining('as a wifi') });
    const list = await getJson<DeviceView[]>(hub, '/api/devices');
    expect(list.find((d) => d.id === 'hk-wifi-02')!.kind).toBe('wifi');
  });
});
