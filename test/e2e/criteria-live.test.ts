import type { StartedHub } from '@commune-hub/hub';
import type {
  ClientToServerEvents,
  CriteriaEvaluatedPush,
  ServerToClientEvents,
} from '@commune-hub/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { provision, startTestHub } from '../support/hub.ts';

describe('live criteria', () => {
  let hub: StartedHub | undefined;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  let device: TestDevice | undefined;
  afterEach(async () => {
    device?.client.end(true);
    socket?.close();
    await hub?.close();
    hub = socket = device = undefined;
  });

  it('a wifi point going online and offline is pushed over socket.io as criteria:evaluated', async () => {
    hub = await startTestHub({ criteriaDebounceMs: 50 });
    const post = (url: string, body: unknown) =>
      fetch(`${hub!.httpUrl}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub!.adminToken}` },
        body: JSON.stringify(body),
      });
    await post('/api/villages', { id: 'thon-1', name: 'Thôn 1' });
    await post('/api/sites', {
      id: 'nvh-1',
      name: 'Nhà văn hóa thôn 1',
      villageId: 'thon-1',
      locationType: 'cultural_house',
    });
    const creds = await provision(hub, {
      id: 'wifi-1',
      kind: 'wifi',
      name: 'Wifi nhà văn hóa',
      village: 'Thôn 1',
      site: 'nvh-1',
    } as never);

    const pushes: CriteriaEvaluatedPush[] = [];
    socket = io(hub.httpUrl, { auth: { token: hub.adminToken }, transports: ['websocket'] });
    socket.on('criteria:evaluated', (p) => pushes.push(p));
    await new Promise<void>((r) => socket!.once('connect', () => r()));

    const wifiLive = () =>
      pushes
        .filter((p) => p.setId === 'thanh-hoa-1829-2023')
        .at(-1)
        ?.cells.find((c) => c.code === '4.5')?.liveNow;
    device = await connectDevice(hub.mqttUrl, creds);
    await device.beat();
    await expect.poll(wifiLive, { timeout: 10_000 }).toEqual({ online: 1, total: 1, needed: 1 });
    const push = pushes.at(-1)!;
    expect(push.period.kind).toBe('month');
    expect(pushes.some((p) => p.setId === 'ntm-318-tieu-chi-8')).toBe(true);

    device.kill();
    await expect.poll(wifiLive, { timeout: 10_000 }).toEqual({ online: 0, total: 1, needed: 1 });

    // A device provisioned through the DeviceService (device.created, no heartbeat, no liveness
    // transition) re-evaluates the live indicators too.
    await provision(hub, {
      id: 'wifi-2',
      kind: 'wifi',
      name: 'Wifi nhà văn hóa 2',
      village: 'Thôn 1',
      site: 'nvh-1',
    } as never);
    await expect.poll(wifiLive, { timeout: 10_000 }).toEqual({ online: 0, total: 2, needed: 1 });
  });
});
