import path from 'node:path';
import type { StartedHub } from '@commune-hub/hub';
import type {
  ClientToServerEvents,
  DeviceDiff,
  DevicesDiff,
  DevicesSnapshot,
  DeviceView,
  ServerToClientEvents,
} from '@commune-hub/protocol';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedByBroker, connectDevice, type TestDevice } from '../support/device.ts';
import { authHeaders, getDevice, provision, startTestHub } from '../support/hub.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What one socket.io client has seen: its snapshots, every diff, and the devices as it would show them. */
function follow(hub: StartedHub) {
  const socket: Client = io(hub.httpUrl, {
    auth: { token: hub.adminToken },
    transports: ['websocket'],
    reconnection: false,
  });
  const seen = {
    socket,
    snapshots: [] as DevicesSnapshot[],
    diffs: [] as DevicesDiff[],
    devices: new Map<string, Partial<DeviceView>>(),
  };
  socket.on('devices:snapshot', (s) => {
    seen.snapshots.push(s);
    seen.devices = new Map(s.devices.map((d) => [d.id, d]));
  });
  socket.on('devices:diff', (d) => {
    seen.diffs.push(d);
    for (const c of d.changes) seen.devices.set(c.id, { ...seen.devices.get(c.id), ...c });
    for (const id of d.removed ?? []) seen.devices.delete(id);
  });
  return seen;
}

/** Offline cuts the uptime record holds for a device (read beside the running hub; WAL allows it). */
function cutsOf(hub: StartedHub, deviceId: string): number {
  const db = new Database(path.join(hub.config.dataDir, 'registry.db'), { readonly: true });
  try {
    return (
      db.prepare('SELECT COUNT(*) AS n FROM offline_cuts WHERE device_id = ?').get(deviceId) as { n: number }
    ).n;
  } finally {
    db.close();
  }
}

describe('the domain event bus end to end: connections, device edits, dashboards', () => {
  let hub: StartedHub;
  const devices: TestDevice[] = [];
  const sockets: Client[] = [];
  const send = (method: string, urlPath: string, body: unknown) =>
    fetch(`${hub.httpUrl}${urlPath}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.adminToken}` },
      body: JSON.stringify(body),
    });
  const closed: Array<{ deviceId: string; graceful: boolean }> = [];

  beforeAll(async () => {
    hub = await startTestHub();
    hub.app.events.on('connection.closed', ({ deviceId, graceful }) => closed.push({ deviceId, graceful }));
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    for (const d of devices) d.client.end(true);
    await hub.close();
  });

  const online = async (id: string, village = 'Thôn Đông') => {
    const device = await connectDevice(
      hub.mqttUrl,
      await provision(hub, { id, kind: 'wifi', name: id, village }),
    );
    devices.push(device);
    await device.beat();
    await expect.poll(async () => (await getDevice(hub, id)).status).toBe('online');
    return device;
  };

  it('an abrupt drop (last will, then the socket closing) is one disconnect and one offline cut', async () => {
    const device = await online('ev-drop');
    device.kill();
    await expect.poll(async () => (await getDevice(hub, 'ev-drop')).reason).toBe('disconnect');
    expect(closed.filter((c) => c.deviceId === 'ev-drop')).toEqual([
      { deviceId: 'ev-drop', graceful: false },
    ]);
    expect(cutsOf(hub, 'ev-drop')).toBe(1);
  });

  it('a goodbye (`offline` status, then DISCONNECT) is one graceful close and one cut', async () => {
    const device = await online('ev-bye');
    await device.client.publishAsync('commune/v1/ev-bye/status', 'offline', { qos: 1, retain: true });
    await device.client.endAsync();
    await expect.poll(async () => (await getDevice(hub, 'ev-bye')).reason).toBe('shutdown');
    await expect
      .poll(() => closed.filter((c) => c.deviceId === 'ev-bye'))
      .toEqual([{ deviceId: 'ev-bye', graceful: true }]);
    expect(cutsOf(hub, 'ev-bye')).toBe(1);
  });

  it('disabling a device closes its connection and records an offline transition with reason `disabled`', async () => {
    const device = await online('ev-off');
    const res = await send('PATCH', '/api/devices/ev-off', { disabled: true });
    expect(res.status).toBe(200);
    await closedByBroker(device.client);
    const view = await getDevice(hub, 'ev-off');
    expect(view).toMatchObject({ disabled: true, status: 'offline', reason: 'disabled' });
    const transitions = (await (
      await fetch(`${hub.httpUrl}/api/devices/ev-off/transitions`, { headers: authHeaders(hub) })
    ).json()) as Array<{
      to: string;
      reason: string;
    }>;
    expect(transitions.at(-1)).toMatchObject({ to: 'offline', reason: 'disabled' });
    // The connection the broker closed afterwards adds no second cut.
    await expect.poll(() => closed.some((c) => c.deviceId === 'ev-off')).toBe(true);
    expect(cutsOf(hub, 'ev-off')).toBe(1);
  });

  it('a new device, a rename, a disable and a village rename reach an open dashboard as diffs', async () => {
    const seen = follow(hub);
    sockets.push(seen.socket);
    await expect.poll(() => seen.snapshots.length).toBe(1);

    await provision(hub, { id: 'ev-new', kind: 'camera', name: 'Camera chợ', village: 'Thôn Tây' });
    await expect
      .poll(() => seen.devices.get('ev-new'))
      .toMatchObject({
        name: 'Camera chợ',
        kind: 'camera',
        status: 'unknown',
      });
    expect((await send('PATCH', '/api/devices/ev-new', { name: 'Camera cổng chợ' })).status).toBe(200);
    await expect.poll(() => seen.devices.get('ev-new')?.name).toBe('Camera cổng chợ');
    expect((await send('PATCH', '/api/devices/ev-new', { disabled: true })).status).toBe(200);
    await expect.poll(() => seen.devices.get('ev-new')).toMatchObject({ disabled: true, reason: 'disabled' });

    const villageId = seen.devices.get('ev-new')!.villageId!;
    expect((await send('PATCH', `/api/villages/${villageId}`, { name: 'Thôn Tây Mới' })).status).toBe(200);
    await expect.poll(() => seen.devices.get('ev-new')?.village).toBe('Thôn Tây Mới');
    // Everything arrived as diffs on the one snapshot: no reload.
    expect(seen.snapshots).toHaveLength(1);
  });

  it('a device moved to another village leaves the filtered view of the old one and enters the new one, whole', async () => {
    await provision(hub, { id: 'ev-move', kind: 'wifi', name: 'Wifi nhà văn hoá', village: 'Thôn Bắc' });
    await provision(hub, { id: 'ev-stay', kind: 'wifi', name: 'Wifi trạm y tế', village: 'Thôn Nam' });
    const north = (await getDevice(hub, 'ev-move')).villageId;
    const south = (await getDevice(hub, 'ev-stay')).villageId;
    const oldView = follow(hub);
    const newView = follow(hub);
    sockets.push(oldView.socket, newView.socket);
    await expect.poll(() => oldView.snapshots.length + newView.snapshots.length).toBe(2);
    expect(await oldView.socket.emitWithAck('devices:filter', { villageIds: [north] })).toEqual({ ok: true });
    expect(await newView.socket.emitWithAck('devices:filter', { villageIds: [south] })).toEqual({ ok: true });
    expect([...oldView.devices.keys()]).toEqual(['ev-move']);
    expect([...newView.devices.keys()]).toEqual(['ev-stay']);

    expect((await send('PATCH', '/api/devices/ev-move', { village: south })).status).toBe(200);
    await expect.poll(() => [...newView.devices.keys()].sort()).toEqual(['ev-move', 'ev-stay']);
    // The client had never seen it: it got the whole view, not a fragment it could not show.
    const arrived = newView.diffs.flatMap((d) => d.changes).findLast((c: DeviceDiff) => c.id === 'ev-move');
    expect(arrived).toMatchObject({
      name: 'Wifi nhà văn hoá',
      kind: 'wifi',
      villageId: south,
      status: 'unknown',
    });
    await expect.poll(() => oldView.devices.size).toBe(0);
    expect(oldView.diffs.flatMap((d) => d.removed ?? [])).toEqual(['ev-move']);
  });
});

describe('realtime stamps times with the hub clock', () => {
  it('snapshots and diffs carry the injected clock time, not the wall clock', async () => {
    const at = Date.UTC(2031, 4, 6, 7, 8, 9);
    const hub = await startTestHub({}, { clock: { now: () => at } });
    try {
      const seen = follow(hub);
      await expect.poll(() => seen.snapshots.length).toBe(1);
      expect(seen.snapshots[0]!.at).toBe(new Date(at).toISOString());
      await provision(hub, { id: 'clock-1', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' });
      await expect.poll(() => seen.diffs.length).toBeGreaterThan(0);
      expect(seen.diffs[0]!.at).toBe(new Date(at).toISOString());
      seen.socket.disconnect();
    } finally {
      await hub.close();
    }
  });
});
