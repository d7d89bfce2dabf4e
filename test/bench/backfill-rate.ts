// Backfill throughput over MQTT against one hub: how fast late QoS 1 heartbeats are stored and PUBACKed.
// Usage: npx tsx test/bench/backfill-rate.ts [commitIntervalMs] [days]
// Prints one JSON line: the commit interval, heartbeats sent and heartbeats/s.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureFirstAdmin, type StartedHub, startHub } from '@commune-hub/hub';
import { loadScenario, provisionDevices, writeCredentials } from '@commune-hub/simulators';

/** The bench's admin token is the first admin's personal API token (HUB_ADMIN_TOKEN only creates that admin). */
async function withBenchAdmin(hub: StartedHub): Promise<StartedHub> {
  await ensureFirstAdmin(hub.app, {
    username: 'bench',
    password: 'bench-admin-password',
    token: hub.adminToken,
  });
  return hub;
}

const run = promisify(execFile);
const commitIntervalMs = Number(process.argv[2] ?? 10);
const days = Number(process.argv[3] ?? 10);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-rate-'));
const hub = await withBenchAdmin(
  await startHub({
    dataDir,
    httpHost: '127.0.0.1',
    mqttHost: '127.0.0.1',
    httpPort: 0,
    mqttPort: 0,
    adminToken: 'bench-admin-token-0123456789',
    logLevel: 'silent',
    mqttRatePerS: 100_000,
    mqttRateBurst: 100_000,
    commitIntervalMs,
  }),
);
const scenario = loadScenario('hoang-kim');
const ids = ['hk-wifi-12', 'hk-cam-24', 'hk-loa-05', 'hk-pc-01', 'hk-kiosk-01', 'hk-vc-01'];
const devices = ids.map((id) => scenario.devices.find((d) => d.id === id)!);
const creds = await provisionDevices({
  hubUrl: hub.httpUrl,
  adminToken: 'bench-admin-token-0123456789',
  devices: devices.map((d) => ({
    id: d.id,
    kind: d.kind,
    name: d.name,
    village: d.village,
    intervalS: d.intervalS,
  })),
});
const credsFile = path.join(dataDir, 'creds.json');
writeCredentials(credsFile, creds);
const to = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const from = to - days * 86_400_000;
const root = path.resolve(import.meta.dirname, '../..');
const { stdout } = await run(
  process.execPath,
  [
    '--import',
    'tsx',
    'simulators/src/cli.ts',
    'hoang-kim',
    '--mode=backfill',
    `--from=${new Date(from).toISOString()}`,
    `--to=${new Date(to).toISOString()}`,
    `--ids=${ids.join(',')}`,
    `--mqtt=${hub.mqttUrl}`,
    `--credentials=${credsFile}`,
    `--concurrency=${ids.length}`,
    '--rate-per-device=100000',
    '--window=500',
  ],
  { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn' }, maxBuffer: 16 * 1024 * 1024 },
);
const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
  heartbeats: number;
  seconds: number;
  msgsPerS: number;
};
console.log(JSON.stringify({ commitIntervalMs, days, devices: ids.length, ...summary }));
await hub.close();
fs.rmSync(dataDir, { recursive: true, force: true });
