import type { StartedHub } from '@commune-hub/hub';
import type {
  DevicesDiff,
  DevicesSnapshot,
  DeviceView,
  HeartbeatRecord,
  ServerToClientEvents,
} from '@commune-hub/protocol';
import { type LiveHandle, loadScenario, runLive } from '@commune-hub/simulators';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startTestHub, waitFor } from '../support/hub.ts';

/**
 * The walking skeleton end to end: the simulator provisions 50 Hoàng Kim devices through the REST API
 * and runs them over real MQTT; a REST client and a socket.io client both follow them.
 */
describe('walking skeleton: 50 simulated devices through hub, REST and socket.io', () => {
  let hub: StartedHub;
  let sim: LiveHandle;
  let socket: Socket<ServerToClientEvents>;
  const live = new Map<string, Pick<DeviceView, 'status' | 'reason'>>();

  const restStatuses = async () => {
    const devices = await getJson<DeviceView[]>(hub, '/api/devices');
    return new Map(devices.map((d) => [d.id, d]));
  };

  /*
   * The hub runs on a clock the test moves. Silence is measured in hub time, so a stalled machine
   * (a slow heartbeat, a late sweep) cannot push a live device past its grace: the clock only moves
   * after every device that should be beating has beaten at the current time.
   */
  const clock = { t: Date.now(), now: () => clock.t };

  beforeAll(async () => {
    hub = await startTestHub({ livenessSweepMs: 100 }, { clock });
    socket = io(hub.httpUrl, {
      auth: { token: hub.adminToken },
      transports: ['websocket'],
      reconnection: false,
    });
    socket.on('devices:snapshot', (s: DevicesSnapshot) => {
      for (const d of s.devices) live.set(d.id, { status: d.status, reason: d.reason });
    });
    socket.on('devices:diff', (diff: DevicesDiff) => {
      for (const c of diff.changes) {
        const prior = live.get(c.id) ?? { status: 'unknown', reason: 'provisioned' };
        live.set(c.id, { status: c.status ?? prior.status, reason: c.reason ?? prior.reason });
      }
    });
    await waitFor(() => socket.connected, 'socket.io connected');
    // speed 30: a 30 s device beats every (real) second and is provisioned with intervalS 1 (grace 2.5 s).
    sim = await runLive({
      scenario: loadScenario('hoang-kim'),
      limit: 50,
      speed: 30,
      failures: false,
      mqttUrl: hub.mqttUrl,
      hubUrl: hub.httpUrl,
      adminToken: hub.adminToken,
    });
  });

  afterAll(async () => {
    socket?.close();
    await sim?.stop();
    await hub?.close();
  });

  it('REST and socket.io both see all 50 online', async () => {
    expect(sim.devices).toHaveLength(50);
    await waitFor(async () => {
      const rest = await restStatuses();
      return sim.devices.every((id) => rest.get(id)?.status === 'online');
    }, 'all 50 online over REST');
    await waitFor(
      () => sim.devices.every((id) => live.get(id)?.status === 'online'),
      'all 50 online over socket.io',
    );
  });

  it('5 killed go offline by disconnect, 5 silenced by timeout; their heartbeats are stored', async () => {
    await waitFor(async () => {
      const rest = await restStatuses();
      return sim.devices.every((id) => rest.get(id)?.status === 'online');
    }, 'all 50 online before the failures (this test may run alone)');
    const killed = sim.devices.slice(0, 5);
    const silenced = sim.devices.slice(5, 10);
    const others = sim.devices.slice(10);
    for (const id of killed) sim.kill(id);
    for (const id of silenced) sim.silence(id);

    const offlineWith = (ids: string[], reason: string) => async () => {
      const rest = await restStatuses();
      return ids.every((id) => rest.get(id)?.status === 'offline' && rest.get(id)?.reason === reason);
    };
    await waitFor(offlineWith(killed, 'disconnect'), 'killed devices offline (disconnect)');
    // Three steps of one second of hub time; before each next step, every device still running has
    // beaten at the current time, so its deadline (2.5 s after its last beat) is never passed.
    for (let step = 0; step < 3; step++) {
      clock.t += 1000;
      const seqs = await restStatuses();
      await waitFor(
        async () => {
          const rest = await restStatuses();
          return others.every((id) => (rest.get(id)?.lastSeq ?? -1) > (seqs.get(id)?.lastSeq ?? -1));
        },
        `every running device beating after step ${step + 1}`,
      );
    }
    // 3 s of hub time without a beat: past the silenced devices' 2.5 s grace.
    await waitFor(offlineWith(silenced, 'timeout'), 'silenced devices offline (timeout)');
    await waitFor(
      () =>
        killed.every((id) => live.get(id)?.status === 'offline' && live.get(id)?.reason === 'disconnect') &&
        silenced.every((id) => live.get(id)?.status === 'offline' && live.get(id)?.reason === 'timeout'),
      'socket.io saw the same',
    );
    const rest = await restStatuses();
    expect(others.filter((id) => rest.get(id)?.status !== 'online')).toEqual([]);

    for (const id of [...killed, ...silenced]) {
      // The devices stamp real time, which runs ahead of the hub's held-back clock: ask for an explicit range.
      const range = `from=${Date.now() - 3_600_000}&to=${Date.now() + 3_600_000}`;
      const beats = await getJson<HeartbeatRecord[]>(hub, `/api/devices/${id}/heartbeats?${range}`);
      expect(beats.length).toBeGreaterThan(0);
      const transitions = await getJson<Array<{ to: string; reason: string }>>(
        hub,
        `/api/devices/${id}/transitions`,
      );
      expect(transitions.at(-1)?.to).toBe('offline');
    }
  });
});
