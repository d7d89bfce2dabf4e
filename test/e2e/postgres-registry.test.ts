// HUB_DB=postgres end to end: a hub keeps its registry in PostgreSQL (the server the global setup
// started), provisions and imports devices, tracks liveness and uptime, and after a restart on an empty
// data dir still has them; a second node on the same database hears the first one's changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedHub } from '@commune-hub/hub';
import type { DeviceView, ImportReport } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedByBroker, connectDevice } from '../support/device.ts';
import { getDevice, getJson, provision, startTestHub, TEST_TOKEN, waitFor } from '../support/hub.ts';
import { createDatabase } from '../support/postgres.ts';

describe('HUB_DB=postgres: registry, liveness and uptime in PostgreSQL', () => {
  let databaseUrl: string;
  let hub: StartedHub;
  const dirs: string[] = [];
  const start = (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-pg-node-'))) => {
    dirs.push(dataDir);
    return startTestHub({ db: 'postgres', databaseUrl, dataDir });
  };
  const importCsv = (h: StartedHub, csv: string) =>
    fetch(`${h.httpUrl}/api/devices/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${TEST_TOKEN}` },
      body: csv,
    });

  beforeAll(async () => {
    databaseUrl = await createDatabase('e2e');
    hub = await start();
  });
  afterAll(async () => {
    await hub?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('provisions, imports, tracks a device online; a restart on an empty data dir keeps it all', {
    timeout: 180_000,
  }, async () => {
    const creds = await provision(hub, {
      id: 'pg-wifi-01',
      kind: 'wifi',
      name: 'Wifi UBND',
      village: 'Thôn 1',
    });
    const rows = Array.from({ length: 20 }, (_, i) => `pg-ls-${i},loudspeaker,Loa ${i},Thôn ${1 + (i % 3)}`);
    const res = await importCsv(hub, `id,kind,name,village\n${rows.join('\n')}\n`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as ImportReport).created).toHaveLength(20);

    const device = await connectDevice(hub.mqttUrl, creds);
    const t0 = Date.now();
    await device.beat();
    await device.beat();
    await waitFor(
      async () => (await getDevice(hub, 'pg-wifi-01')).status === 'online',
      'pg-wifi-01 online',
      30_000,
    );
    device.client.end();
    await waitFor(
      async () => (await getDevice(hub, 'pg-wifi-01')).status === 'offline',
      'pg-wifi-01 offline',
      30_000,
    );

    await hub.close();
    hub = await start(); // a new, empty data dir: everything comes back from PostgreSQL
    const devices = await getJson<DeviceView[]>(hub, '/api/devices');
    expect(devices).toHaveLength(21);
    const wifi = await getDevice(hub, 'pg-wifi-01');
    expect(wifi).toMatchObject({ name: 'Wifi UBND', village: 'Thôn 1', status: 'offline' });
    const from = new Date(t0 - 1000).toISOString();
    const to = new Date(Date.now()).toISOString();
    const uptime = await getJson<{ up_s: number }>(
      hub,
      `/api/devices/pg-wifi-01/uptime?from=${from}&to=${to}`,
    );
    expect(uptime.up_s).toBeGreaterThan(0);

    // The secret still works on the restarted hub, and liveness follows the device again.
    const back = await connectDevice(hub.mqttUrl, creds);
    await back.beat();
    await waitFor(
      async () => (await getDevice(hub, 'pg-wifi-01')).status === 'online',
      'online again',
      30_000,
    );
    back.client.end();
  });

  it("a second node on the same database hears the first one's new and disabled devices", {
    timeout: 180_000,
  }, async () => {
    const other = await start();
    try {
      const creds = await provision(hub, {
        id: 'pg-cam-01',
        kind: 'camera',
        name: 'Camera chợ',
        village: 'Thôn 2',
      });
      // Node B learns of the device from PostgreSQL (change_seq + NOTIFY) and lets it connect.
      await waitFor(
        async () =>
          (
            await fetch(`${other.httpUrl}/api/devices/pg-cam-01`, {
              headers: { authorization: `Bearer ${TEST_TOKEN}` },
            })
          ).status === 200,
        'node B knows pg-cam-01',
        30_000,
      );
      const onB = await connectDevice(other.mqttUrl, creds);
      await onB.beat();
      await waitFor(
        async () => (await getDevice(other, 'pg-cam-01')).status === 'online',
        'online on B',
        30_000,
      );
      // Disabled on node A: node B closes the device's connection (device.disabled on B's bus).
      const closed = closedByBroker(onB.client, 15_000);
      const patch = await fetch(`${hub.httpUrl}/api/devices/pg-cam-01`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
        body: JSON.stringify({ disabled: true }),
      });
      expect(patch.status).toBe(200);
      await closed;
      expect((await getDevice(other, 'pg-cam-01')).disabled).toBe(true);
    } finally {
      await other.close();
    }
  });
});
