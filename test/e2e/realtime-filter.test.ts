import type { StartedHub } from '@commune-hub/hub';
import type {
  ClientToServerEvents,
  DevicesDiff,
  DevicesSnapshot,
  ServerToClientEvents,
} from '@commune-hub/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { provision, startTestHub, waitFor } from '../support/hub.ts';

/** A province hub serves many communes: a client can follow only some villages and kinds. */
describe('socket.io filters: a client follows only the villages and kinds it asks for', () => {
  let hub: StartedHub;
  const devices: TestDevice[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    for (const [id, kind, village] of [
      ['a-wifi', 'wifi', 'Thôn A'],
      ['a-cam', 'camera', 'Thôn A'],
      ['b-wifi', 'wifi', 'Thôn B'],
    ] as const) {
      devices.push(await connectDevice(hub.mqttUrl, await provision(hub, { id, kind, name: id, village })));
    }
  });
  afterAll(async () => {
    for (const d of devices) d.client.end(true);
    await hub.close();
  });

  it('sends a filtered snapshot and only matching diffs; refuses a malformed filter', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(hub.httpUrl, {
      transports: ['websocket'],
      reconnection: false,
    });
    const snapshots: DevicesSnapshot[] = [];
    const diffIds = new Set<string>();
    socket.on('devices:snapshot', (s) => snapshots.push(s));
    socket.on('devices:diff', (d: DevicesDiff) => {
      for (const c of d.changes) diffIds.add(c.id);
    });
    await waitFor(() => snapshots.length === 1, 'first snapshot');
    expect(snapshots[0]!.devices.map((d) => d.id).sort()).toEqual(['a-cam', 'a-wifi', 'b-wifi']);
    const villageA = snapshots[0]!.devices.find((d) => d.id === 'a-wifi')!.villageId;

    const bad = await socket.emitWithAck('devices:filter', { kinds: ['toaster'] } as never);
    expect(bad).toMatchObject({ ok: false });
    const ok = await socket.emitWithAck('devices:filter', { villageIds: [villageA], kinds: ['wifi'] });
    expect(ok).toEqual({ ok: true });
    await waitFor(() => snapshots.length === 2, 'filtered snapshot');
    expect(snapshots[1]!.devices.map((d) => d.id)).toEqual(['a-wifi']);

    for (const d of devices) await d.beat();
    await waitFor(() => diffIds.has('a-wifi'), 'diff of the followed device');
    await new Promise((r) => setTimeout(r, 600)); // two more flush windows: nothing else may arrive
    expect([...diffIds]).toEqual(['a-wifi']);
    socket.close();
  });
});
