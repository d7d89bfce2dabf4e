/**
 * Issue 5's live acceptance run: N devices (default 10,000), each its own MQTT connection with its own
 * secret, in this one process, against the real hub started here as a child process (embedded store,
 * temp data dir). Failures are off except one known power cut of one village. Every minute it records
 * connections held (simulator and hub), devices per status in GET /api/devices, hub and simulator RSS
 * (/proc/<pid>/status), event-loop delay of both, and heartbeats accepted/rejected by the hub.
 * Not a test: numbers depend on the machine. Prints one JSON line per sample and a summary on stdout.
 *
 *   tsx simulators/scripts/scale-hub.ts [--devices 10000] [--minutes 10] [--rate 100]
 *     [--cut-village v7] [--cut-at 4] [--cut-for 2] [--out result.json]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHubClient, type DeviceView } from '@commune-hub/protocol';
import { freePort } from '../../test/support/net.ts';
import { createLogger, runLive } from '../src/index.ts';
import { scenarioFromObject } from '../src/scenario/load.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '100' },
    'cut-village': { type: 'string', default: 'v7' },
    'cut-at': { type: 'string', default: '4' },
    'cut-for': { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});
const n = Number(values.devices);
const minutes = Number(values.minutes);
const cutVillage = values['cut-village'];
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'scale-hub-admin-token-0123456789';
const MIN = 60_000;
const t0 = Date.now();
const log = (msg: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A generated district-size commune: 100 villages of 100 devices, four kinds in equal parts.
const villages = Array.from({ length: 100 }, (_, i) => ({ id: `v${i}`, name: `Thôn ${i + 1}` }));
const kinds = [
  { kind: 'wifi', idPrefix: 'sc-wifi', name: 'Wifi {n}' },
  { kind: 'camera', idPrefix: 'sc-cam', name: 'Camera {n}' },
  { kind: 'loudspeaker', idPrefix: 'sc-loa', name: 'Cụm loa {n}' },
  { kind: 'pc', idPrefix: 'sc-pc', name: 'Máy tính {n}' },
] as const;
const scenario = scenarioFromObject(
  {
    name: 'scale-hub',
    commune: 'Scale test',
    seed: 10_000,
    villages,
    devices: kinds.map((k, i) => ({
      ...k,
      count: Math.floor(n / 4) + (i < n % 4 ? 1 : 0),
      villages: 'all',
    })),
  },
  'scale-hub',
);

/** VmRSS and VmHWM of a process, in MB. */
function rssOf(pid: number | 'self'): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMB: Math.round(kb('VmRSS') / 1024), peakMB: Math.round(kb('VmHWM') / 1024) };
}

const dataDir = mkdtempSync(join(tmpdir(), 'scale-hub-'));
const [httpPort, mqttPort] = [await freePort(), await freePort()];
const httpUrl = `http://127.0.0.1:${httpPort}`;
const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
const hubLog = openSync(join(dataDir, 'hub.log'), 'a');
// node --import tsx directly (not npm/npx), so the pid we read /proc of is the hub itself.
const hub: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'hub/src/server.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    HUB_DATA_DIR: dataDir,
    HUB_HTTP_HOST: '127.0.0.1',
    HUB_MQTT_HOST: '127.0.0.1',
    HUB_HTTP_PORT: String(httpPort),
    HUB_MQTT_PORT: String(mqttPort),
    HUB_ADMIN_TOKEN: TOKEN,
    HUB_LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', hubLog, hubLog],
});
const hubPid = hub.pid!;
let hubExited = false;
hub.on('exit', (code) => {
  hubExited = true;
  if (code !== 0 && code !== null) log(`hub exited with code ${code}; see ${dataDir}/hub.log`);
});

/** HUB_ADMIN_TOKEN creates the first admin only; every later call uses that admin's personal API token. */
let api = createHubClient({ baseUrl: httpUrl, token: TOKEN });

async function hubMetrics(): Promise<Record<string, number>> {
  const text = await api.metrics();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line) continue;
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

const sumOf = (m: Record<string, number>, prefix: string) =>
  Object.entries(m)
    .filter(([k]) => k === prefix || k.startsWith(`${prefix}{`))
    .reduce((s, [, v]) => s + v, 0);

async function devicesByStatus(): Promise<{ list: DeviceView[]; counts: Record<string, number> }> {
  const list = await api.deviceList();
  const counts: Record<string, number> = {};
  for (const d of list) counts[d.status] = (counts[d.status] ?? 0) + 1;
  return { list, counts };
}

let sim: Awaited<ReturnType<typeof runLive>> | undefined;
const cleanup = async () => {
  await sim?.stop().catch(() => undefined);
  if (!hubExited) {
    hub.kill('SIGTERM');
    for (let i = 0; i < 100 && !hubExited; i++) await sleep(100);
    if (!hubExited) hub.kill('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  for (let i = 0; ; i++) {
    if (hubExited) throw new Error(`the hub did not start; see ${dataDir}/hub.log`);
    try {
      await api.health();
      break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('the hub did not answer /healthz within 60 s');
    await sleep(100);
  }
  log(`hub pid ${hubPid} up on ${httpUrl} / ${mqttUrl}; rss ${rssOf(hubPid).rssMB} MB`);
  const { apiToken } = await api.userCreate({
    body: {
      username: 'scale',
      password: 'scale-admin-password',
      role: 'admin',
      province: true,
      apiTokenName: 'scale-hub',
    },
  });
  api = createHubClient({ baseUrl: httpUrl, token: apiToken!.token });

  // Provisioning: the commune's equipment list as CSV, in chunks so no single request holds the hub
  // (each device costs one scrypt hash).
  const provisionStart = Date.now();
  const creds = new Map<string, string>();
  const CHUNK = 500;
  for (let i = 0; i < scenario.devices.length; i += CHUNK) {
    const rows = scenario.devices
      .slice(i, i + CHUNK)
      .map((d) => [d.id, d.kind, d.name, d.village, String(d.intervalS)].join(','));
    const report = await api.deviceImport({
      body: ['id,kind,name,village,interval_s', ...rows].join('\n'),
    });
    for (const c of report.created) creds.set(c.id, c.secret);
    log(`provisioned ${creds.size}/${scenario.devices.length}`);
  }
  const provisionS = (Date.now() - provisionStart) / 1000;

  const simLoop = monitorEventLoopDelay({ resolution: 10 });
  simLoop.enable();
  const simRss0 = rssOf('self').rssMB;
  const rampStart = Date.now();
  let ramping = true;
  sim = await runLive({
    scenario,
    mqttUrl,
    credentials: creds,
    failures: false,
    connectsPerSecond: Number(values.rate),
    logger: createLogger('warn'),
    onProgress: (p) =>
      ramping &&
      process.stderr.write(`\r${p.connected}/${p.total} connected, ${p.settled} settled, ${p.errors} errors`),
  });
  ramping = false;
  process.stderr.write('\n');
  const rampS = (Date.now() - rampStart) / 1000;
  log(`all ${n} devices connected and heard in ${rampS} s`);

  const cutDevices = scenario.devices.filter((d) => d.villageId === cutVillage).map((d) => d.id);
  const samples: unknown[] = [];
  const sample = async (minute: number, note?: string) => {
    const p = sim!.progress();
    const m = await hubMetrics();
    const { list, counts } = await devicesByStatus();
    const cutOffline = list.filter((d) => cutDevices.includes(d.id) && d.status === 'offline').length;
    const s = {
      minute,
      ...(note && { note }),
      simConnected: p.connected,
      simErrors: p.errors,
      simConnects: p.connects,
      hubMqttClients: m.hub_mqtt_clients,
      status: counts,
      offlineOutsideCut: (counts.offline ?? 0) - cutOffline,
      cutVillageOffline: cutOffline,
      heartbeatsSent: p.heartbeats,
      hubAcceptedMsgs: sumOf(m, 'hub_ingest_accepted_total'),
      hubRejectedMsgs: sumOf(m, 'hub_ingest_rejected_total'),
      hubRss: rssOf(hubPid),
      simRss: rssOf('self'),
      hubEventLoopP99Ms: Math.round((m.hub_process_nodejs_eventloop_lag_p99_seconds ?? 0) * 1000),
      simEventLoopP99Ms: Math.round(simLoop.percentile(99) / 1e6),
      simEventLoopMaxMs: Math.round(simLoop.max / 1e6),
    };
    simLoop.reset();
    samples.push(s);
    console.log(JSON.stringify(s));
  };

  // The power cut: the whole village at once (loudspeakers without battery, so all go together).
  const cut: Record<string, unknown> = { village: cutVillage, devices: cutDevices.length };
  const waitForVillage = async (status: string) => {
    const started = Date.now();
    for (;;) {
      const list = (await api.deviceList()).filter((d) => cutDevices.includes(d.id));
      if (list.every((d) => d.status === status)) {
        const since = list.map((d) => Date.parse(d.since));
        return {
          seenAfterMs: Date.now() - started,
          spreadMs: Math.max(...since) - Math.min(...since),
          reasons: [...new Set(list.map((d) => d.reason))],
        };
      }
      if (Date.now() - started > 2 * MIN) throw new Error(`village ${cutVillage} never all ${status}`);
      await sleep(200);
    }
  };

  const runStart = Date.now();
  await sample(0, 'ready');
  for (let minute = 1; minute <= minutes; minute++) {
    const due = runStart + minute * MIN;
    if (minute - 1 === Number(values['cut-at'])) {
      sim.powerCut(cutVillage);
      cut.offline = await waitForVillage('offline');
      log(`power cut in ${cutVillage}: ${JSON.stringify(cut.offline)}`);
    }
    if (minute - 1 === Number(values['cut-at']) + Number(values['cut-for'])) {
      sim.powerRestore(cutVillage);
      cut.online = await waitForVillage('online');
      log(`power back in ${cutVillage}: ${JSON.stringify(cut.online)}`);
    }
    await sleep(Math.max(0, due - Date.now()));
    await sample(minute);
  }
  const stopStart = Date.now();
  const truth = await sim.stop();
  sim = undefined;
  const stopS = (Date.now() - stopStart) / 1000;
  const after = await devicesByStatus();
  const summary = {
    date: new Date().toISOString(),
    devices: n,
    minutes,
    connectsPerSecond: Number(values.rate),
    provisionSeconds: provisionS,
    rampSeconds: rampS,
    simRssBeforeDevicesMB: simRss0,
    cut,
    stopSeconds: stopS,
    afterStop: after.counts,
    truthHeartbeats: truth.devices.reduce((s, d) => s + d.heartbeats, 0),
    samples,
  };
  console.log(JSON.stringify({ summary: { ...summary, samples: samples.length } }));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit();
