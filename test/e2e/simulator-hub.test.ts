import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '@commune-hub/hub';
import type { DeviceView, Transition } from '@commune-hub/protocol';
import { createLogger, type LiveHandle, loadScenario, runLive } from '@commune-hub/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, withFirstAdmin } from '../support/hub.ts';

// The Hoàng Kim scenario live against a real hub: provisioning over REST, every device on its own MQTT
// connection with its own secret, liveness as the hub sees it.
describe('simulator × hub: Hoàng Kim live', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sim-hub-'));
  const scenario = loadScenario('hoang-kim');
  let hub: Awaited<ReturnType<typeof startHub>>;
  let sim: LiveHandle | undefined;

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${hub.httpUrl}${path}`, { headers: authHeaders(hub) });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const poll = async <T>(
    fn: () => Promise<T | undefined | false>,
    what: string,
    timeoutMs = 20_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    hub = await withFirstAdmin(
      await startHub({
        dataDir,
        httpPort: 0,
        mqttPort: 0,
        httpHost: '127.0.0.1',
        mqttHost: '127.0.0.1',
        adminToken: 'test-token-0123456789',
        logLevel: 'warn',
        livenessSweepMs: 50,
      }),
    );
  });

  afterAll(async () => {
    await sim?.stop().catch(() => undefined);
    await hub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings every device online, and a village power cut takes exactly that village offline together', async () => {
    sim = await runLive({
      scenario,
      hubUrl: hub.httpUrl,
      mqttUrl: hub.mqttUrl,
      adminToken: hub.adminToken,
      // 30 s intervals become 1 s: the hub is provisioned with the accelerated interval.
      speed: 30,
      failures: false,
      logger: createLogger('silent'),
    });
    expect(sim.devices).toHaveLength(scenario.devices.length);
    const all = await poll(async () => {
      const list = await api<DeviceView[]>('/api/devices');
      const ours = list.filter((d) => sim!.devices.includes(d.id));
      return ours.length === sim!.devices.length && ours.every((d) => d.status === 'online') && ours;
    }, 'every device online');
    expect(all.find((d) => d.id === 'hk-wifi-01')).toMatchObject({
      village: 'Thôn 3',
      kind: 'wifi',
      intervalS: 1,
    });

    const village = scenario.devices.filter((d) => d.villageId === 'thon-1').map((d) => d.id);
    const cutAt = Date.now();
    expect(sim.powerCut('thon-1').sort()).toEqual([...village].sort());
    const after = await poll(async () => {
      const list = await api<DeviceView[]>('/api/devices');
      const down = list.filter((d) => d.status === 'offline').map((d) => d.id);
      return down.length >= village.length && list;
    }, 'the village offline');
    const offline = after.filter((d) => d.status === 'offline');
    expect(offline.map((d) => d.id).sort()).toEqual([...village].sort());
    expect(offline.every((d) => d.reason === 'disconnect')).toBe(true);
    expect(after.filter((d) => !village.includes(d.id)).every((d) => d.status === 'online')).toBe(true);
    // Together: every offline transition of the village within one second of the cut.
    for (const id of village) {
      const transitions = await api<Transition[]>(`/api/devices/${id}/transitions?from=${cutAt - 1000}`);
      const off = transitions.find((t) => t.to === 'offline');
      expect(off, id).toBeDefined();
      expect(Math.abs(Date.parse(off!.at) - cutAt), id).toBeLessThan(1000);
    }

    sim.powerRestore('thon-1');
    await poll(async () => {
      const list = await api<DeviceView[]>('/api/devices');
      return list.filter((d) => village.includes(d.id)).every((d) => d.status === 'online');
    }, 'the village back online');
  });
});
