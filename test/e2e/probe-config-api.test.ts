import type { StartedHub } from '@commune-hub/hub';
import {
  HubApiError,
  type HubClient,
  type ProbeConfigMessage,
  type ProbeTarget,
} from '@commune-hub/protocol';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubClient, metric, startTestHub } from '../support/hub.ts';
import { waitFor } from '../support/wait.ts';

/** Probe targets over the API: refusals that name the field, credentials never read back, and the
 *  retained per-gateway config on `cmd` that only that gateway may subscribe to. */
describe('probe targets over the hub API', () => {
  let hub: StartedHub;
  let noKeyHub: StartedHub;
  let api: HubClient;
  let gwSecret = '';
  let otherSecret = '';

  beforeAll(async () => {
    hub = await startTestHub({ probeKey: 'b'.repeat(64) });
    noKeyHub = await startTestHub();
    api = hubClient(hub);
    gwSecret = (
      await api.deviceCreate({ body: { id: 'gw-a', kind: 'gateway', name: 'GW A', village: 'Thôn 2' } })
    ).secret;
    otherSecret = (
      await api.deviceCreate({ body: { id: 'gw-b', kind: 'gateway', name: 'GW B', village: 'Thôn 2' } })
    ).secret;
    await api.deviceCreate({
      body: { id: 'cam-a', kind: 'camera', name: 'Cam A', village: 'Thôn 2', parent: 'gw-a' },
    });
    await api.deviceCreate({ body: { id: 'orphan', kind: 'camera', name: 'Cam', village: 'Thôn 2' } });
  });
  afterAll(async () => {
    await hub?.close();
    await noKeyHub?.close();
  });

  const refusal = async (id: string, body: unknown, hubClientFor = api) => {
    try {
      await hubClientFor.deviceProbeSet({ params: { id }, body: body as ProbeTarget });
    } catch (err) {
      expect(err).toBeInstanceOf(HubApiError);
      return (err as HubApiError).body as { code: string; message: string };
    }
    throw new Error('accepted');
  };

  const cases: Array<[string, unknown, string, string]> = [
    ['unknown type', { type: 'telnet', address: '10.0.0.1', intervalS: 60 }, 'HUB_ERR_VALIDATION', 'type'],
    [
      'malformed address',
      { type: 'icmp', address: '10.0.0.300', intervalS: 60 },
      'HUB_ERR_VALIDATION',
      'address',
    ],
    [
      'port out of range',
      { type: 'tcp', address: '10.0.0.1', port: 65536, intervalS: 60 },
      'HUB_ERR_VALIDATION',
      'port',
    ],
    [
      'interval below 10 s',
      { type: 'icmp', address: '10.0.0.1', intervalS: 9 },
      'HUB_ERR_VALIDATION',
      'intervalS',
    ],
    [
      'v2c without community',
      { type: 'snmp', address: '10.0.0.1', intervalS: 60, snmp: { version: '2c' } },
      'HUB_ERR_PROBE_CONFIG',
      'snmp.community',
    ],
  ];
  for (const [name, body, code, field] of cases) {
    it(`refuses ${name} with ${code} naming ${field}`, async () => {
      const error = await refusal('cam-a', body);
      expect(error.code).toBe(code);
      expect(error.message).toContain(field);
    });
  }

  it('refuses a device without a gateway parent, and credentials when no HUB_PROBE_KEY is set', async () => {
    const orphan = await refusal('orphan', { type: 'icmp', address: '10.0.0.1', intervalS: 60 });
    expect(orphan.code).toBe('HUB_ERR_PROBE_CONFIG');
    expect(orphan.message).toContain('parent');
    const other = hubClient(noKeyHub);
    await other.deviceCreate({ body: { id: 'gw', kind: 'gateway', name: 'GW', village: 'Thôn 2' } });
    await other.deviceCreate({
      body: { id: 'cam', kind: 'camera', name: 'Cam', village: 'Thôn 2', parent: 'gw' },
    });
    const noKey = await refusal(
      'cam',
      { type: 'rtsp', address: '10.0.0.1', intervalS: 60, username: 'u', password: 'p' },
      other,
    );
    expect(noKey.code).toBe('HUB_ERR_PROBE_KEY_MISSING');
    // Without credentials it works, key or not.
    await expect(
      other.deviceProbeSet({
        params: { id: 'cam' },
        body: { type: 'icmp', address: '10.0.0.1', intervalS: 60 },
      }),
    ).resolves.toBeDefined();
    expect(
      await metric(hub, 'hub_probe_config_rejected_total', { field: 'snmp.community' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('delivers the config, credentials included, retained on the gateway’s own cmd topic only', async () => {
    const view = await api.deviceProbeSet({
      params: { id: 'cam-a' },
      body: {
        type: 'rtsp',
        address: '10.0.0.20',
        port: 554,
        path: '/live',
        username: 'viewer',
        password: 'cam-pass-9',
        intervalS: 30,
      },
    });
    expect(view.secretsSet).toEqual(['password']);
    expect(JSON.stringify(view)).not.toContain('cam-pass-9');
    // The device's interval follows the probe's, so liveness expects the gateway's pace.
    expect((await api.deviceGet({ params: { id: 'cam-a' } })).intervalS).toBe(30);
    // Editing without the password keeps the stored one.
    await api.deviceProbeSet({
      params: { id: 'cam-a' },
      body: {
        type: 'rtsp',
        address: '10.0.0.21',
        port: 554,
        path: '/live',
        username: 'viewer',
        intervalS: 30,
      },
    });

    const received: ProbeConfigMessage[] = [];
    const gw = await mqtt.connectAsync(hub.mqttUrl, {
      clientId: 'gw-a',
      username: 'gw-a',
      password: gwSecret,
      reconnectPeriod: 0,
    });
    gw.on('message', (_t, payload) => received.push(JSON.parse(payload.toString()) as ProbeConfigMessage));
    await gw.subscribeAsync('commune/v1/gw-a/cmd', { qos: 1 });
    const config = await waitFor(() => received.at(-1), 'retained config');
    expect(config).toMatchObject({ v: 1, type: 'probeConfig', gateway: 'gw-a' });
    expect(config.children).toEqual([
      {
        id: 'cam-a',
        kind: 'camera',
        target: {
          type: 'rtsp',
          address: '10.0.0.21',
          port: 554,
          path: '/live',
          username: 'viewer',
          password: 'cam-pass-9',
          intervalS: 30,
        },
      },
    ]);

    // Another gateway cannot read it: its subscription to gw-a's cmd topic is refused.
    const spy = await mqtt.connectAsync(hub.mqttUrl, {
      clientId: 'gw-b',
      username: 'gw-b',
      password: otherSecret,
      reconnectPeriod: 0,
    });
    const spied: string[] = [];
    spy.on('message', (topic) => spied.push(topic));
    await expect(spy.subscribeAsync('commune/v1/gw-a/cmd', { qos: 1 })).rejects.toThrow(/Subscribe error/);

    // Disabling the child republishes without it; the revision grows.
    const before = config.rev;
    await api.deviceUpdate({ params: { id: 'cam-a' }, body: { disabled: true } });
    const next = await waitFor(
      () => (received.at(-1)!.rev > before ? received.at(-1) : undefined),
      'republished config',
    );
    expect(next.children).toEqual([]);
    expect(spied).toEqual([]);
    await gw.endAsync();
    await spy.endAsync();
  });

  it('takes probe targets from extra CSV import columns, refusing a bad row by line and field', async () => {
    const header =
      'id,kind,name,village,parent,probe_type,probe_address,probe_port,probe_interval_s,probe_username,probe_password,snmp_community,snmp_vendor';
    const bad = [header, 'csv-cam,camera,Cam,Thôn 3,gw-a,rtsp,10.0.1.5,99999,60,,,,'].join('\n');
    const refused = await fetch(`${hub.httpUrl}/api/devices/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${hub.adminToken}` },
      body: bad,
    });
    expect(refused.status).toBe(422);
    const report = (await refused.json()) as { errors: Array<{ line: number; message: string }> };
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining('port') }),
    ]);

    const good = [
      header,
      'csv-cam,camera,Cam,Thôn 3,gw-a,rtsp,10.0.1.5,554,60,viewer,csv-pass-1,,',
      'csv-ap,wifi,AP,Thôn 3,gw-a,,10.0.1.6,,,,,csv-community,unifi',
    ].join('\n');
    const res = await fetch(`${hub.httpUrl}/api/devices/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${hub.adminToken}` },
      body: good,
    });
    const imported = (await res.json()) as { warnings: string[]; created: unknown[] };
    expect(res.status, JSON.stringify(imported)).toBe(200);
    expect(imported.warnings).toEqual([]);
    const cam = await api.deviceProbeGet({ params: { id: 'csv-cam' } });
    expect(cam).toMatchObject({
      gateway: 'gw-a',
      secretsSet: ['password'],
      target: { type: 'rtsp', port: 554, username: 'viewer' },
    });
    // Kind wifi with only an address: the kind's default probe (SNMP v2c on 161, 60 s).
    const ap = await api.deviceProbeGet({ params: { id: 'csv-ap' } });
    expect(ap).toMatchObject({
      secretsSet: ['community'],
      target: { type: 'snmp', port: 161, intervalS: 60 },
      snmp: { version: '2c', vendor: 'unifi' },
    });
    expect(JSON.stringify([cam, ap])).not.toMatch(/csv-pass-1|csv-community/);
  });
});
