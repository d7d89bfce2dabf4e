import type { StartedHub } from '@commune-hub/hub';
import type { HeartbeatRecord } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InfluxdServer, startInfluxd } from '../setup/influxd.ts';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { getJson, metric, provision, startTestHub, waitFor } from '../support/hub.ts';

/**
 * The hub on InfluxDB, ingesting 500 heartbeats/s over real MQTT while its InfluxDB server is killed and
 * started again. Every heartbeat the broker acknowledged must be in InfluxDB afterwards, checked by seq.
 * (The five-minute outage is the same path; a few seconds keep the suite short — the spool
 * bound, not the duration, is what limits it, and its overflow is tested in hub/src/store/influx.)
 */
describe('hub on InfluxDB: an outage during ingest loses nothing', () => {
  let influx: InfluxdServer;
  let hub: StartedHub;
  const devices: TestDevice[] = [];
  const acked = new Map<string, number[]>();

  beforeAll(async () => {
    influx = await startInfluxd({ database: 'hub_outage' });
    hub = await startTestHub({
      store: 'influx',
      influxUrl: influx.url,
      influxUsername: influx.username,
      influxPassword: influx.password,
      influxDatabase: influx.database,
    });
    for (let i = 0; i < 25; i++) {
      const id = `cam-${String(i).padStart(2, '0')}`;
      const creds = await provision(hub, {
        id,
        kind: 'camera',
        name: `Camera "${i}", Thôn Đông`,
        village: 'Thôn Đông, 1',
      });
      devices.push(await connectDevice(hub.mqttUrl, creds));
      acked.set(id, []);
    }
  });
  afterAll(async () => {
    for (const d of devices) d.client.end(true);
    await hub?.close();
    await influx?.stop();
  });

  /** 25 devices × 20 heartbeats per second = 500/s for `seconds`, recording what the broker acknowledged. */
  const ingest = async (seconds: number) => {
    const ticks = seconds * 20;
    for (let tick = 0; tick < ticks; tick++) {
      const started = Date.now();
      await Promise.all(
        devices.map(async (d) => {
          const seq = d.seq;
          await d.beat({ m: { fps: 25, bitrateKbps: 2048 } });
          acked.get(d.id)!.push(seq);
        }),
      );
      const wait = 50 - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };

  it('spools while InfluxDB is down, keeps serving, and replays everything in order', async () => {
    await ingest(2);
    await influx.kill();
    await ingest(4);
    // The hub keeps serving the live view while its store is down.
    const devicesNow = await getJson<Array<{ status: string }>>(hub, '/api/devices');
    expect(devicesNow.every((d) => d.status === 'online')).toBe(true);
    await waitFor(async () => (await metric(hub, 'hub_store_spool_lines')) > 0, 'writes spooled');
    await influx.restart();
    await ingest(2);
    await waitFor(async () => (await metric(hub, 'hub_store_spool_lines')) === 0, 'spool drained', 60_000);
    expect(await metric(hub, 'hub_store_spool_dropped_lines_total')).toBe(0);

    let total = 0;
    for (const d of devices) {
      const rows = await getJson<HeartbeatRecord[]>(
        hub,
        `/api/devices/${d.id}/heartbeats?from=0&limit=100000`,
      );
      expect(rows.map((r) => r.seq)).toEqual(acked.get(d.id));
      total += rows.length;
    }
    expect(total).toBe(25 * 20 * 8);
  });
});

describe('hub on InfluxDB: a store it cannot use stops the boot with a clear error', () => {
  it('names an unreachable server and refused credentials', async () => {
    const influx = await startInfluxd({ database: 'hub_boot' });
    try {
      const base = {
        store: 'influx' as const,
        influxDatabase: influx.database,
        influxUsername: influx.username,
      };
      await expect(
        startTestHub({ ...base, influxUrl: 'http://127.0.0.1:9', influxPassword: influx.password }),
      ).rejects.toMatchObject({ code: 'HUB_ERR_STORE_UNREACHABLE' });
      await expect(
        startTestHub({ ...base, influxUrl: influx.url, influxPassword: 'wrong-password' }),
      ).rejects.toMatchObject({ code: 'HUB_ERR_STORE_UNAUTHORIZED' });
      await expect(startTestHub({ store: 'influx' })).rejects.toMatchObject({ code: 'HUB_ERR_CONFIG' });
    } finally {
      await influx.stop();
    }
  });
});
