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
    const connect = (): Socket<ServerToClientEvents, ClientToServerEvents> =>
      io(hub.httpUrl, { auth: { token: hub.adminToken }, transports: ['websocket'], reconnection: false });
    const socket = connect();
    const snapshots: DevicesSnapshot[] = [];
    const diffIds: string[] = [];
    socket.on('devices:snapshot', (s) => snapshots.push(s));
    socket.on('devices:diff', (d: DevicesDiff) => {
      for (const c of d.changes) diffIds.push(c.id);
    });
    // A control client without a filter: proves the changes the filtered client must not see did happen.
    const control = connect();
    const controlIds = new Set<string>();
    let controlReady = false;
    control.on('devices:snapshot', () => {
      controlReady = true;
    });
    control.on('devices:diff', (d: DevicesDiff) => {
      for (const c of d.changes) controlIds.add(c.id);
    });
    await waitFor(() => snapshots.length === 1 && controlReady, 'first snapshots');
    expect(snapshots[0]!.devices.map((d) => d.id).sort()).toEqual(['a-cam', 'a-wifi', 'b-wifi']);
    const villageA = snapshots[0]!.devices.find((d) => d.id === 'a-wifi')!.villageId;

    const bad = await socket.emitWithAck('devices:filter', { kinds: ['toaster'] } as never);
    expect(bad).toMatchObject({ ok: false });
    const ok = await socket.emitWithAck('devices:filter', { villageIds: [villageA], kinds: ['wifi'] });
    expect(ok).toEqual({ ok: true });
    await waitFor(() => snapshots.length === 2, 'filtered snapshot');
    expect(snapshots[1]!.devices.map((d) => d.id)).toEqual(['a-wifi']);
    diffIds.length = 0;

    // The changes that must not arrive first (each PUBACKed, so ingested), then a sentinel that must.
    // One socket delivers in order, so a leaked change would come before or with the sentinel: the
    // sentinel being the first and only thing received proves "nothing else arrives" without a sleep.
    const byId = (id: string) => devices.find((d) => d.id === id)!;
    await byId('b-wifi').beat(); // other village
    await byId('a-cam').beat(); // other kind
    await byId('a-wifi').beat(); // the sentinel
    await waitFor(() => diffIds.includes('a-wifi'), 'diff of the followed device');
    expect(diffIds).toEqual(['a-wifi']);
    await waitFor(
      () => ['b-wifi', 'a-cam', 'a-wifi'].every((id) => controlIds.has(id)),
      'every diff, unfiltered',
    );
    socket.close();
    control.close();
  });
});
