import net from 'node:net';
import type { StartedHub } from '@commune-hub/hub';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDevice } from '../support/device.ts';
import { metric, provision, startTestHub } from '../support/hub.ts';
import { connectPacket } from '../support/mqtt-packets.ts';

/**
 * Issue 14, finding 4 (the storm bench's remaining p99): hashes of an id that already failed run in their
 * own bounded lane (hub/src/broker/hash-lanes.ts), so a real device's first hash is not queued behind
 * a storm's. The lane choice is visible on /metrics (`hub_mqtt_secret_checks_total{lane}`): before the
 * fix the metric did not exist and every hash went to the thread pool in arrival order.
 */
function frozenClock(start = Date.now()) {
  const t = start;
  return { now: () => t };
}

const hubs: StartedHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
});

/** A CONNECT with a wrong secret from `localAddress`; resolves with the CONNACK's return code. */
function wrongSecret(hub: StartedHub, id: string, localAddress: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const socket = net.connect({ port: hub.mqttPort, host: '127.0.0.1', localAddress });
    socket.on('connect', () => socket.write(connectPacket(id, id, 'not-the-secret')));
    socket.on('data', (d) => {
      socket.destroy();
      if (d[0] === 0x20) resolve(d[3]!);
      else reject(new Error(`not a CONNACK: ${d.toString('hex')}`));
    });
    socket.on('error', reject);
  });
}

describe('secret checks by lane (finding 4)', () => {
  it("a storm id's repeated wrong secrets go to the suspect lane; a real device's first secret goes straight in", async () => {
    const hub = await startTestHub(
      { mqttAuthFailuresPerId: 3, mqttAuthFailuresPerAddress: 1000 },
      { clock: frozenClock() },
    );
    hubs.push(hub);
    await provision(hub, { id: 'storm-1', kind: 'wifi', name: 'Storm', village: 'Thôn 1' });
    const real = await provision(hub, { id: 'real-1', kind: 'kiosk', name: 'Kiosk', village: 'Thôn 1' });
    // The storm comes from another address than the real device (127.0.0.1): a failed address makes its
    // other ids' hashes suspect too.
    for (let i = 0; i < 5; i++) expect(await wrongSecret(hub, 'storm-1', '127.0.0.2')).toBeGreaterThan(0);
    // The first wrong secret of the id was clean (it could have been the device); the next two, after a
    // failure, were suspect; the last two were past the budget and never hashed.
    expect(await metric(hub, 'hub_mqtt_secret_checks_total', { lane: 'clean' })).toBe(1);
    expect(await metric(hub, 'hub_mqtt_secret_checks_total', { lane: 'suspect' })).toBe(2);
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'bad_secret' })).toBe(3);
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'throttled_id' })).toBe(2);
    // The real device, its secret not yet verified (as after a restart): a clean hash, and it gets in.
    const device = await connectDevice(hub.mqttUrl, real);
    device.client.end(true);
    expect(await metric(hub, 'hub_mqtt_secret_checks_total', { lane: 'clean' })).toBe(2);
    expect(await metric(hub, 'hub_mqtt_secret_checks_total', { lane: 'suspect' })).toBe(2);
    // Another id from the storm's address: its first wrong secret is suspect already.
    await provision(hub, { id: 'storm-2', kind: 'wifi', name: 'Storm 2', village: 'Thôn 1' });
    await wrongSecret(hub, 'storm-2', '127.0.0.2');
    expect(await metric(hub, 'hub_mqtt_secret_checks_total', { lane: 'suspect' })).toBe(3);
    expect(await metric(hub, 'hub_mqtt_auth_failures_total', { reason: 'throttled_busy' })).toBe(0);
  });
});
