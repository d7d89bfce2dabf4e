import { Heartbeat } from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait.ts';
import { runLive } from '../live/run-live.ts';
import { createLogger } from '../logger.ts';
import { loadScenario } from '../scenario/load.ts';
import { startBroker } from './broker.ts';

const logger = createLogger('silent');

describe('live mode against a plain aedes broker', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
  });

  it('connects every device with a last will and publishes schema-valid heartbeats', async () => {
    const b = await startBroker();
    cleanup.push(b.close);
    const scenario = loadScenario('hoang-kim');
    // speed 30: the 30 s interval of wifi/cameras/loudspeakers becomes 1 s, the PCs' 60 s becomes 2 s.
    const sim = await runLive({ scenario, mqttUrl: b.url, limit: 24, speed: 30, failures: false, logger });
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await sim.stop();
    });
    expect(sim.devices).toHaveLength(24);
    expect(b.broker.connectedClients).toBe(24);
    for (const id of sim.devices) {
      const client = (
        b.broker as unknown as {
          clients: Record<
            string,
            { will?: { topic: string; payload: Buffer; retain: boolean; qos: number } }
          >;
        }
      ).clients[id];
      expect(client?.will?.topic).toBe(`commune/v1/${id}/status`);
      expect(client?.will?.payload.toString()).toBe('offline');
      expect(client?.will?.retain).toBe(true);
      expect(client?.will?.qos).toBe(1);
    }
    // A second round of heartbeats for everyone.
    await waitFor(
      () =>
        sim.devices.every((id) => b.published.filter((p) => p.topic === `commune/v1/${id}/hb`).length >= 2),
      'two heartbeats per device',
      15_000,
    );
    const hbs = b.published.filter((p) => p.topic.endsWith('/hb'));
    for (const p of hbs) {
      const hb = JSON.parse(p.payload);
      expect(
        Value.Check(Heartbeat, hb),
        `${p.topic}: ${[...Value.Errors(Heartbeat, hb)].map((e) => `${e.path} ${e.message}`).join('; ')}`,
      ).toBe(true);
      expect(p.clientId).toBe(p.topic.split('/')[2]);
    }
    expect(
      b.published.filter((p) => p.topic.endsWith('/status') && p.payload === 'online' && p.retain),
    ).toHaveLength(24);
    expect(b.published.filter((p) => p.topic.endsWith('/meta') && p.retain)).toHaveLength(24);

    // kill: the socket dies, the broker publishes the will at once.
    sim.kill('hk-wifi-02');
    await waitFor(
      () => b.published.find((p) => p.topic === 'commune/v1/hk-wifi-02/status' && p.payload === 'offline'),
      'last will of hk-wifi-02',
      5000,
    );
    // silence: connection stays, heartbeats stop.
    sim.silence('hk-wifi-03');
    const count3 = () => b.published.filter((p) => p.topic === 'commune/v1/hk-wifi-03/hb').length;
    const before = count3();
    await waitFor(
      () => b.published.filter((p) => p.topic === 'commune/v1/hk-wifi-04/hb').length >= 6,
      'six heartbeats of hk-wifi-04',
      15_000,
    );
    expect(count3()).toBeLessThanOrEqual(before + 1);
    expect(b.broker.connectedClients).toBe(23);
    // revive: back online.
    sim.revive('hk-wifi-02');
    await waitFor(() => b.broker.connectedClients === 24, 'hk-wifi-02 reconnecting', 5000);

    stopped = true;
    const truth = await sim.stop();
    const t2 = truth.devices.find((d) => d.id === 'hk-wifi-02')!;
    expect(t2.segments.map((s) => s.state)).toEqual(['up', 'down', 'up']);
    expect(t2.segments[1]!.cause).toBe('killed');
    const t3 = truth.devices.find((d) => d.id === 'hk-wifi-03')!;
    expect(t3.segments.map((s) => s.cause ?? s.state)).toEqual(['up', 'silenced']);
    // Clean stop: every device said offline (retained) before disconnecting.
    await waitFor(() => b.broker.connectedClients === 0, 'everyone disconnected', 5000);
  });

  it('a village power cut takes exactly that village down together; loudspeakers ride on battery first', async () => {
    const b = await startBroker();
    cleanup.push(b.close);
    const scenario = loadScenario('hoang-kim');
    const sim = await runLive({ scenario, mqttUrl: b.url, speed: 30, failures: false, logger });
    cleanup.push(async () => void (await sim.stop()));
    const village = scenario.devices.filter((d) => d.villageId === 'thon-1');
    const speakers = village.filter((d) => d.kind === 'loudspeaker').map((d) => d.id);
    // 60 scenario seconds of battery = 2 s at speed 30.
    const down = sim.powerCut('thon-1', { batteryS: 60 });
    expect(down.sort()).toEqual(village.map((d) => d.id).sort());
    const wills = () =>
      new Set(
        b.published
          .filter((p) => p.topic.endsWith('/status') && p.payload === 'offline')
          .map((p) => p.topic.split('/')[2]),
      );
    await waitFor(
      () => village.every((d) => d.kind === 'loudspeaker' || wills().has(d.id)),
      'village wills',
      5000,
    );
    // Meanwhile the loudspeakers report battery power, degraded.
    await waitFor(
      () =>
        speakers.every((id) =>
          b.published.some(
            (p) => p.topic === `commune/v1/${id}/hb` && JSON.parse(p.payload).m.powerSource === 'battery',
          ),
        ),
      'loudspeakers on battery',
    );
    await waitFor(
      () => speakers.every((id) => wills().has(id)),
      'loudspeakers after the battery ran out',
      10_000,
    );
    expect([...wills()].sort()).toEqual(village.map((d) => d.id).sort());
    sim.powerRestore('thon-1');
    await waitFor(() => b.broker.connectedClients === scenario.devices.length, 'village back', 10_000);
  });
});
