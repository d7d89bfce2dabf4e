import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import type { DeviceView, HubClient, ProbeTarget } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_DEFAULTS, GatewayAgent } from '../../agents/src/gateway/gateway.ts';
import {
  RTSP_PASSWORD,
  RTSP_PATH,
  RTSP_USER,
  type RunningServer,
  SNMP_CLIENTS,
  SNMP_COMMUNITY,
  startHttpsServer,
  startKamailio,
  startRtspServer,
  startSnmpd,
} from '../../agents/src/gateway/test/servers.ts';
import { ManualScheduler, silentLogger } from '../../agents/src/test/helpers.ts';
import { hubClient, startTestHub } from '../support/hub.ts';
import { waitFor } from '../support/wait.ts';

const PROBE_KEY = 'a'.repeat(64);
const INTERVAL_S = 10;
/** The CLI gateway runs on the real clock (its own hub's starts there too): a long interval keeps its
 *  heartbeats within the hub's grace (2.5 intervals) however slow a loaded machine makes it. */
const CLI_INTERVAL_S = 60;

/**
 * Acceptance of issue 13: a gateway agent probing four real servers on loopback (GStreamer RTSP camera,
 * snmpd AP, HTTPS loudspeaker controller, kamailio SIP endpoint), configured only through the hub's API.
 * Hub and gateway share one clock that the test moves forward ("one interval later"); the gateway's
 * timer is manual, so a probe cycle runs when the test says an interval has passed, never by sleeping.
 */
describe('gateway probes end to end', () => {
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const scheduler = new ManualScheduler();
  let hub: StartedHub;
  let api: HubClient;
  let gateway: GatewayAgent | undefined;
  const servers: Record<string, RunningServer> = {};

  const device = (id: string): Promise<DeviceView> => api.deviceGet({ params: { id } });
  const until = async (id: string, pred: (d: DeviceView) => boolean, what: string) =>
    waitFor(
      async () => {
        const d = await device(id);
        return pred(d) ? d : undefined;
      },
      `${id}: ${what}`,
      20_000,
    );
  /** One probe interval passes: the clock moves and the gateway's timer fires. */
  const oneInterval = async () => {
    offset += INTERVAL_S * 1000;
    await gateway!.cycle();
  };

  beforeAll(async () => {
    const [rtsp, snmpd, https, sip] = await Promise.all([
      startRtspServer(),
      startSnmpd(),
      startHttpsServer(90),
      startKamailio(),
    ]);
    Object.assign(servers, { rtsp, snmpd, https, sip });
    hub = await startTestHub({ livenessSweepMs: 20, alertsTickMs: 20, probeKey: PROBE_KEY }, { clock });
    api = hubClient(hub);
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop().catch(() => {});
    await hub?.close();
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  });

  it('probes four real devices, reports a stopped camera, picks up a fifth child live, and goes offline with the gateway as one alert', async () => {
    // The alerts issue's rule, set before anything runs: any device offline for a minute.
    await api.alertRuleCreate({
      body: {
        name: 'Mất kết nối quá 1 phút',
        scope: {},
        condition: { kind: 'offline_for', forMin: 1 },
        notify: { channelIds: [] },
      },
    });
    const gw = await api.deviceCreate({
      body: {
        id: 'hk-gw-01',
        kind: 'gateway',
        name: 'Gateway UBND',
        village: 'Thôn 1',
        intervalS: INTERVAL_S,
      },
    });
    const children: Array<{
      id: string;
      kind: 'camera' | 'wifi' | 'loudspeaker' | 'conference';
      target: ProbeTarget;
    }> = [
      {
        id: 'hk-cam-01',
        kind: 'camera',
        target: {
          type: 'rtsp',
          address: '127.0.0.1',
          port: servers.rtsp!.port,
          path: RTSP_PATH,
          username: RTSP_USER,
          password: RTSP_PASSWORD,
          intervalS: INTERVAL_S,
        },
      },
      {
        id: 'hk-ap-01',
        kind: 'wifi',
        target: {
          type: 'snmp',
          address: '127.0.0.1',
          port: servers.snmpd!.port,
          intervalS: INTERVAL_S,
          snmp: { version: '2c', community: SNMP_COMMUNITY, vendor: 'unifi' },
        },
      },
      {
        id: 'hk-loa-01',
        kind: 'loudspeaker',
        target: {
          type: 'http',
          address: '127.0.0.1',
          port: servers.https!.port,
          tls: true,
          path: '/status',
          expectJsonField: 'status.amp',
          expectValue: 'ok',
          intervalS: INTERVAL_S,
        },
      },
      {
        id: 'hk-vc-01',
        kind: 'conference',
        target: {
          type: 'sip',
          address: '127.0.0.1',
          port: servers.sip!.port,
          transport: 'udp',
          intervalS: INTERVAL_S,
        },
      },
    ];
    for (const child of children) {
      await api.deviceCreate({
        body: { id: child.id, kind: child.kind, name: child.id, village: 'Thôn 1', parent: 'hk-gw-01' },
      });
      const view = await api.deviceProbeSet({ params: { id: child.id }, body: child.target });
      // Read APIs never carry credentials, only which ones are set.
      expect(JSON.stringify(view)).not.toContain(RTSP_PASSWORD);
      expect(JSON.stringify(view)).not.toContain(SNMP_COMMUNITY);
    }
    const camView = await api.deviceProbeGet({ params: { id: 'hk-cam-01' } });
    expect(camView.secretsSet).toEqual(['password']);
    expect(JSON.stringify(camView)).not.toContain(RTSP_PASSWORD);
    const apView = await api.deviceProbeGet({ params: { id: 'hk-ap-01' } });
    expect(apView.secretsSet).toEqual(['community']);
    expect(JSON.stringify(await device('hk-cam-01'))).not.toContain(RTSP_PASSWORD);
    // Encrypted at rest: neither secret is in the registry file in clear.
    const registryBytes = readFileSync(join(hub.config.dataDir, 'registry.db')).toString('latin1');
    const wal = (() => {
      try {
        return readFileSync(join(hub.config.dataDir, 'registry.db-wal')).toString('latin1');
      } catch {
        return '';
      }
    })();
    expect(registryBytes + wal).not.toContain(RTSP_PASSWORD);
    expect(registryBytes + wal).not.toContain(SNMP_COMMUNITY);

    // The gateway knows nothing but its id and secret: its children come from the retained cmd topic.
    gateway = new GatewayAgent(
      {
        hubUrl: hub.mqttUrl,
        id: 'hk-gw-01',
        secret: gw.secret,
        kind: 'gateway',
        intervalS: INTERVAL_S,
        spoolDir: '/nonexistent',
        portalTimeoutMs: 1000,
        expectProcesses: [],
        spoolMaxEntries: 10,
        spoolMaxBytes: 10_000,
        inflightWindow: 10,
        reconnectMs: 100,
        keepaliveS: 30,
        logLevel: 'silent',
        probeConcurrency: 8,
        probeTimeoutMs: 4000,
      },
      { ...GATEWAY_DEFAULTS, tickMs: 3_600_000 },
      { clock, scheduler, logger: silentLogger },
    );
    gateway.start();
    await waitFor(() => gateway!.probeConfig?.children.length === 4, 'gateway got its 4 children', 20_000);

    const cam = await until(
      'hk-cam-01',
      (d) => d.status === 'online' && d.metrics.streamOk === true,
      'online with a stream',
    );
    expect(cam.metrics).toMatchObject({ codec: 'JPEG', rtspStatus: 200 });
    const ap = await until('hk-ap-01', (d) => d.status === 'online', 'online');
    expect(ap.metrics).toMatchObject({ reachable: true, clients: SNMP_CLIENTS });
    expect(ap.metrics.sysUpTimeS).toBeTypeOf('number');
    const loa = await until('hk-loa-01', (d) => d.status === 'online', 'online');
    expect(loa.metrics).toMatchObject({ httpStatus: 200, contentOk: true });
    expect(Number(loa.metrics.tlsDaysLeft)).toBeGreaterThanOrEqual(89);
    const vc = await until('hk-vc-01', (d) => d.status === 'online', 'online');
    expect(vc.metrics).toMatchObject({ sipStatus: 200, reachable: true });
    const gwView = await until(
      'hk-gw-01',
      (d) => d.status === 'online' && d.metrics.probeChildren === 4,
      'reports 4 children',
    );
    expect(gwView.metrics.probeCycleMs).toBeTypeOf('number');

    // The camera's RTSP server stops: one interval later the camera is degraded with the reason.
    await servers.rtsp!.stop();
    await oneInterval();
    const down = await until('hk-cam-01', (d) => d.status === 'degraded', 'degraded');
    expect(down.reason).toBe('fault');
    expect(down.faults).toContain('stream_down');
    expect(down.metrics.streamOk).toBe(false);
    expect((await device('hk-ap-01')).status).toBe('online');

    // A fifth child added over the API is probed within one interval, the gateway untouched.
    await api.deviceCreate({
      body: { id: 'hk-bang-01', kind: 'display', name: 'Bảng tin', village: 'Thôn 1', parent: 'hk-gw-01' },
    });
    await api.deviceProbeSet({
      params: { id: 'hk-bang-01' },
      body: { type: 'icmp', address: '127.0.0.1', intervalS: INTERVAL_S },
    });
    await waitFor(() => gateway!.probeConfig?.children.length === 5, 'gateway got its 5th child', 20_000);
    const display = await until('hk-bang-01', (d) => d.status === 'online', 'online');
    expect(display.metrics).toMatchObject({ reachable: true });
    expect(display.metrics.rttMs).toBeTypeOf('number');

    // The gateway dies (no goodbye): it goes offline at once by its will, and so do its children (they are
    // heard only through it), with reason parent_down — no waiting for their 2.5 intervals.
    await gateway.kill();
    await until('hk-gw-01', (d) => d.status === 'offline', 'offline');
    for (const id of ['hk-cam-01', 'hk-ap-01', 'hk-loa-01', 'hk-vc-01', 'hk-bang-01']) {
      const child = await until(id, (d) => d.status === 'offline', 'offline with its gateway');
      expect(child.reason).toBe('parent_down');
    }
    // The alerts' parent/child rule: six devices down behind one gateway are one "mất mạng" alert, not six.
    const everyone = ['hk-gw-01', 'hk-cam-01', 'hk-ap-01', 'hk-loa-01', 'hk-vc-01', 'hk-bang-01'];
    const raised = async () =>
      (await api.alertList({ query: { from: '0', villageId: 'thon-1' } })).alerts.filter(
        (a) => a.state !== 'pending',
      );
    expect(await raised()).toEqual([]); // the camera's fault and the offline minute not yet passed raise nothing
    offset += 61_000; // the rule's minute
    const [alert] = await waitFor(
      async () => {
        const list = await raised();
        return list.length > 0 ? list : undefined;
      },
      'the network cut alert',
      20_000,
    );
    expect(alert).toMatchObject({ cause: 'network_cut', state: 'firing', title: 'Thôn 1: mất mạng' });
    expect(alert!.devices.map((d) => d.id).sort()).toEqual([...everyone].sort());
    offset += 5 * 60_000; // five more minutes: still that one alert, no child raised one of its own
    hub.app.alerts.tick(); // evaluated at the new time now, not whenever the tick timer next runs
    expect((await raised()).map((a) => a.id)).toEqual([alert!.id]);
  }, 120_000);

  it('the CLI gateway (`--kind gateway`) as a real process: probes its children, and SIGKILL takes it and its child offline at once', async () => {
    // Its own hub, on the real clock: the CLI gateway stamps heartbeats with it, and the first test moved
    // its hub's clock minutes ahead.
    const cliHub = await startTestHub({ livenessSweepMs: 20, probeKey: PROBE_KEY });
    const cliApi = hubClient(cliHub);
    const cliUntil = async (id: string, pred: (d: DeviceView) => boolean, what: string) =>
      waitFor(
        async () => {
          const d = await cliApi.deviceGet({ params: { id } });
          return pred(d) ? d : undefined;
        },
        `${id}: ${what}`,
        20_000,
      );
    try {
      const gwCreds = await cliApi.deviceCreate({
        body: {
          id: 'hk-gw-02',
          kind: 'gateway',
          name: 'Gateway 2',
          village: 'Thôn 2',
          intervalS: CLI_INTERVAL_S,
        },
      });
      await cliApi.deviceCreate({
        body: {
          id: 'hk-line-01',
          kind: 'uplink',
          name: 'Đường truyền',
          village: 'Thôn 2',
          parent: 'hk-gw-02',
        },
      });
      await cliApi.deviceProbeSet({
        params: { id: 'hk-line-01' },
        body: { type: 'icmp', address: '127.0.0.1', intervalS: CLI_INTERVAL_S },
      });
      const cli = fileURLToPath(new URL('../../agents/src/cli.ts', import.meta.url));
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          cli,
          '--hub',
          cliHub.mqttUrl,
          '--id',
          'hk-gw-02',
          '--kind',
          'gateway',
          '--interval',
          String(CLI_INTERVAL_S),
          '--log-level',
          'warn',
        ],
        { env: { ...process.env, HUB_AGENT_SECRET: gwCreds.secret }, stdio: 'ignore' },
      );
      try {
        const line = await cliUntil(
          'hk-line-01',
          (d) => d.status === 'online',
          'online, probed by the CLI gateway',
        );
        expect(line.metrics).toMatchObject({ reachable: true, lossPct: 0 });
        await cliUntil(
          'hk-gw-02',
          (d) => d.status === 'online' && d.metrics.probeChildren === 1,
          'gateway reports 1 child',
        );
      } finally {
        child.kill('SIGKILL');
      }
      await cliUntil('hk-gw-02', (d) => d.status === 'offline', 'offline after SIGKILL');
      const lineDown = await cliUntil(
        'hk-line-01',
        (d) => d.status === 'offline',
        'offline with its gateway',
      );
      expect(lineDown.reason).toBe('parent_down');
    } finally {
      await cliHub.close();
    }
  }, 60_000);
});
