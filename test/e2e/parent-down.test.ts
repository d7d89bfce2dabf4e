import type { StartedHub } from '@commune-hub/hub';
import type { HubClient } from '@commune-hub/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { hubClient, startTestHub, waitFor } from '../support/hub.ts';

/**
 * A gateway's connection is the only path of the children it publishes for: when it ends, those children
 * go offline at once (reason parent_down, a cut in their coverage), not 2.5 intervals later. A child with
 * a connection of its own is not affected.
 */
describe('children of a dropped gateway (real hub, real MQTT)', () => {
  let hub: StartedHub | undefined;
  const clients: TestDevice[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.client.end(true);
    await hub?.close();
    hub = undefined;
  });

  async function setUp() {
    hub = await startTestHub({ livenessSweepMs: 20 });
    const api: HubClient = hubClient(hub);
    const create = (id: string, kind: 'gateway' | 'camera', parent?: string) =>
      api.deviceCreate({
        body: { id, kind, name: id, village: 'Thôn 3', intervalS: 600, ...(parent ? { parent } : {}) },
      });
    const gwCreds = await create('gw-3', 'gateway');
    await create('cam-via-gw', 'camera', 'gw-3');
    const ownCreds = await create('cam-own', 'camera', 'gw-3');
    const gw = await connectDevice(hub.mqttUrl, gwCreds);
    const own = await connectDevice(hub.mqttUrl, ownCreds);
    clients.push(gw, own);
    // The gateway publishes the first camera's heartbeat under the camera's id; the second has its own link.
    const hb = { v: 1, ts: Date.now(), seq: 1, up: 1, st: 'ok', m: { streamOk: true } };
    await gw.client.publishAsync('commune/v1/cam-via-gw/hb', JSON.stringify(hb), { qos: 1 });
    await gw.beat();
    await own.beat();
    const status = async (id: string) => (await api.deviceGet({ params: { id } })).status;
    for (const id of ['gw-3', 'cam-via-gw', 'cam-own']) {
      await waitFor(async () => (await status(id)) === 'online', `${id} online`);
    }
    return { api, gw, own };
  }

  it('a dropped gateway takes offline at once the child heard only through it, not one with its own connection', async () => {
    const { api, gw } = await setUp();
    gw.kill();
    const child = await waitFor(async () => {
      const d = await api.deviceGet({ params: { id: 'cam-via-gw' } });
      return d.status === 'offline' ? d : undefined;
    }, 'the child offline with its gateway');
    expect(child.reason).toBe('parent_down');
    expect((await api.deviceGet({ params: { id: 'gw-3' } })).reason).toBe('disconnect');
    const transitions = await api.deviceTransitions({ params: { id: 'cam-via-gw' }, query: {} });
    expect(transitions.map((t) => t.reason)).toContain('parent_down');
    expect((await api.deviceGet({ params: { id: 'cam-own' } })).status).toBe('online');
  });

  it('a gateway saying goodbye (DISCONNECT) takes the child heard through it offline too', async () => {
    const { api, gw } = await setUp();
    await gw.client.endAsync();
    const child = await waitFor(async () => {
      const d = await api.deviceGet({ params: { id: 'cam-via-gw' } });
      return d.status === 'offline' ? d : undefined;
    }, 'the child offline with its gateway');
    expect(child.reason).toBe('parent_down');
    expect((await api.deviceGet({ params: { id: 'gw-3' } })).reason).toBe('shutdown');
    expect((await api.deviceGet({ params: { id: 'cam-own' } })).status).toBe('online');
  });
});
