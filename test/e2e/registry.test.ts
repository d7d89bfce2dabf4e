import type { StartedHub } from '@commune-hub/hub';
import type { DeviceView, ImportReport, Village } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedByBroker, connectDevice } from '../support/device.ts';
import { getDevice, getJson, metric, provision, startTestHub, waitFor } from '../support/hub.ts';

describe('registry: places, bulk import, disabling, gateways, commune mergers', () => {
  let hub: StartedHub;
  const send = (method: string, path: string, body: unknown, contentType = 'application/json') =>
    fetch(`${hub.httpUrl}${path}`, {
      method,
      headers: { 'content-type': contentType, authorization: `Bearer ${hub.adminToken}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('a dry run reports every bad row and writes nothing', async () => {
    const csv = [
      'id,kind,name,village,site,location_type,interval_s,parent,tags,ghi_chu',
      'hk-wifi-01,wifi,"Wifi UBND, tầng 2",Thôn 1,UBND xã,commune_office,30,,public;4.5,',
      'hk-wifi-01,wifi,Trùng mã,Thôn 1,,,,,,',
      'BAD ID,wifi,x,Thôn 1,,,,,,',
      'hk-cam-01,toaster,x,Thôn 1,,,,,,',
      'hk-cam-02,camera,,Thôn 1,,,,,,',
      'hk-cam-03,camera,Camera,Thôn 1,Chợ,,,,,',
      'hk-cam-04,camera,Camera,Thôn 1,,,abc,,,',
      'hk-cam-05,camera,Camera,Thôn 1,,,,hk-gw-99,,',
    ].join('\n');
    const res = await send('POST', '/api/devices/import?dryRun=true', csv, 'text/csv');
    expect(res.status).toBe(422);
    const report = (await res.json()) as ImportReport;
    expect(report.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(report.errors[0]!.message).toMatch(/also on line 2/);
    expect(report.errors[4]!.message).toMatch(/location_type/);
    expect(report.warnings).toEqual(['column(s) ignored: ghi_chu']);
    expect(await getJson<DeviceView[]>(hub, '/api/devices')).toEqual([]);
  });

  it('imports a clean sheet in one go, creating villages and sites, secrets shown once', async () => {
    const csv = [
      'id,kind,name,village,site,location_type,interval_s,parent,tags',
      'hk-wifi-01,wifi,"Wifi UBND, tầng 2",Thôn 1,UBND xã,commune_office,30,,public;4.5',
      'hk-wifi-02,wifi,Wifi nhà văn hoá,Thôn 2,Nhà văn hoá thôn 2,cultural_house,,,',
      'hk-gw-01,gateway,Gateway camera,Thôn 1,,,,,',
      'hk-cam-01,camera,"Camera ""ngã tư""",Thôn 1,,,30,hk-gw-01,',
    ].join('\r\n');
    const dry = await send('POST', '/api/devices/import?dryRun=true', csv, 'text/csv');
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as ImportReport).created).toEqual([]);
    const res = await send('POST', '/api/devices/import', csv, 'text/csv');
    expect(res.status).toBe(200);
    const report = (await res.json()) as ImportReport;
    expect(report.created.map((c) => c.id)).toEqual(['hk-wifi-01', 'hk-wifi-02', 'hk-gw-01', 'hk-cam-01']);
    const wifi = await getDevice(hub, 'hk-wifi-01');
    expect(wifi).toMatchObject({
      name: 'Wifi UBND, tầng 2',
      village: 'Thôn 1',
      tags: ['public', '4.5'],
      intervalS: 30,
    });
    expect(wifi.site).toMatchObject({ name: 'UBND xã', locationType: 'commune_office' });
    expect((await getDevice(hub, 'hk-cam-01')).name).toBe('Camera "ngã tư"');
    const again = await send('POST', '/api/devices/import', csv, 'text/csv');
    expect(again.status).toBe(422);
  });

  it('lets a gateway publish for its registered children only', async () => {
    const gw = await provision(hub, { id: 'gw-02', kind: 'gateway', name: 'GW', village: 'Thôn 1' });
    const res = await send('POST', '/api/devices', {
      id: 'cam-child',
      kind: 'camera',
      name: 'Cam',
      village: 'Thôn 1',
      parent: 'gw-02',
    });
    expect(res.status).toBe(201);
    const device = await connectDevice(hub.mqttUrl, gw);
    await device.client.publishAsync(
      'commune/v1/cam-child/hb',
      JSON.stringify({ v: 1, ts: Date.now(), seq: 1, up: 1, st: 'ok', m: { streamOk: true } }),
      { qos: 1 },
    );
    await waitFor(
      async () => (await getDevice(hub, 'cam-child')).status === 'online',
      'child online via gateway',
    );
    const closed = closedByBroker(device.client);
    device.client.publish('commune/v1/hk-wifi-01/hb', '{}', { qos: 1 });
    await closed;
    expect(await metric(hub, 'hub_mqtt_denied_total', { reason: 'foreign_topic' })).toBe(1);
    const notGateway = await send('POST', '/api/devices', {
      id: 'cam-x',
      kind: 'camera',
      name: 'C',
      village: 'Thôn 1',
      parent: 'hk-wifi-01',
    });
    expect(((await notGateway.json()) as { message: string }).message).toMatch(/not a gateway/);
  });

  it('disabling a device closes its connection and refuses it until enabled again', async () => {
    const creds = await provision(hub, { id: 'pc-01', kind: 'pc', name: 'Máy tính CBCC', village: 'Thôn 1' });
    const device = await connectDevice(hub.mqttUrl, creds);
    const closed = closedByBroker(device.client);
    const res = await send('PATCH', '/api/devices/pc-01', { disabled: true });
    expect(((await res.json()) as DeviceView).disabled).toBe(true);
    await closed;
    await expect(connectDevice(hub.mqttUrl, creds)).rejects.toThrow(/Bad username or password/);
    await send('PATCH', '/api/devices/pc-01', { disabled: false });
    const back = await connectDevice(hub.mqttUrl, creds);
    back.client.end(true);
  });

  it('rotating a secret refuses the old one', async () => {
    const creds = await provision(hub, { id: 'kiosk-01', kind: 'kiosk', name: 'Kiosk', village: 'Thôn 2' });
    const connected = await connectDevice(hub.mqttUrl, creds);
    const closed = closedByBroker(connected.client);
    const rotated = (await (await send('POST', '/api/devices/kiosk-01/secret', {})).json()) as {
      secret: string;
    };
    await closed; // the connection made with the old secret is closed at once
    await expect(connectDevice(hub.mqttUrl, creds)).rejects.toThrow(/Bad username or password/);
    const ok = await connectDevice(hub.mqttUrl, { id: 'kiosk-01', secret: rotated.secret });
    ok.client.end(true);
  });

  it('moves a village to the commune it merged into; device ids and history stay', async () => {
    await send('POST', '/api/communes', { id: 'hoang-kim', name: 'Xã Hoằng Kim', province: 'Thanh Hóa' });
    await send('POST', '/api/communes', {
      id: 'hoang-hoa-moi',
      name: 'Xã Hoằng Hóa (mới)',
      province: 'Thanh Hóa',
    });
    const villages = await getJson<Village[]>(hub, '/api/villages');
    const thon1 = villages.find((v) => v.name === 'Thôn 1')!;
    await send('PATCH', `/api/villages/${thon1.id}`, { communeId: 'hoang-kim' });
    expect((await getDevice(hub, 'hk-wifi-01')).communeId).toBe('hoang-kim');
    const moved = await send('PATCH', `/api/villages/${thon1.id}`, {
      communeId: 'hoang-hoa-moi',
      name: 'Thôn Kim 1',
    });
    expect(moved.status).toBe(200);
    const wifi = await getDevice(hub, 'hk-wifi-01');
    expect(wifi).toMatchObject({
      id: 'hk-wifi-01',
      villageId: thon1.id,
      village: 'Thôn Kim 1',
      communeId: 'hoang-hoa-moi',
    });
    const bad = await send('PATCH', `/api/villages/${thon1.id}`, { communeId: 'nowhere' });
    expect(bad.status).toBe(404);
  });
});

describe('devices CLI', () => {
  it('imports a CSV with a dry run first, prints secrets once, and explains bad rows', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const run = promisify(execFile);
    const hub = await startTestHub();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    const good = path.join(dir, 'good.csv');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(good, 'id,kind,name,village\nst-wifi-01,wifi,Wifi UBND,Thôn Trà Lãnh\n');
    fs.writeFileSync(bad, 'id,kind,name,village\nst-wifi-02,fridge,Tủ lạnh,Thôn 1\n');
    const cli = (...args: string[]) =>
      run('npx', ['tsx', 'hub/src/cli/devices.ts', ...args, '--hub', hub.httpUrl, '--token', hub.adminToken]);
    try {
      const dry = await cli('import', good, '--dry-run');
      expect(dry.stderr).toMatch(/dry run: all 1 row\(s\) are valid/);
      const real = await cli('import', good);
      expect(real.stdout).toMatch(/^id,secret\nst-wifi-01,[\w-]{20,}\n$/);
      const failed = await cli('import', bad).catch((e: { code: number; stderr: string }) => e);
      expect(failed).toMatchObject({ code: 1 });
      expect((failed as { stderr: string }).stderr).toMatch(/line 2 \(st-wifi-02\): kind/);
      const list = await cli('list');
      expect(list.stdout).toMatch(/st-wifi-01,wifi,Wifi UBND,Thôn Trà Lãnh,unknown,/);
    } finally {
      await hub.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
