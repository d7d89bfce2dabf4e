/**
 * Issue 15's single-node figures in a few minutes, on one target at a time: RSS of the process tree idle,
 * with N devices connected and while they heartbeat at their interval, then the CPU time the target spends
 * per heartbeat at saturation. CPU per heartbeat (tree CPU seconds ÷ heartbeats processed) and RSS depend
 * far less on the machine's other load than rates do, so before/after comparisons on a shared machine use
 * them. compare.ts stays the one-run comparison of the rates.
 *
 *   npx tsx test/bench/lean-probe.ts [--target=hub|aedes] [--devices=1000] [--intervalMs=30000]
 *     [--soakMs=60000] [--saturateMs=15000] [--window=1000 | --rateMs=1000] [--hubEnv='K=V;K2=V2'] [--execArgv='--flag ...']
 *     [--hubFlags=none] [--noBuild] [--cpu-prof]
 *
 * The hub is the production build, rebuilt first, started as package.json's `hub` script starts it (its
 * node flags and environment; --hubFlags=none: bare `node hub/dist/server.js`). Prints one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadPool } from './loadgen/pool.ts';
import { progress, round, sleep } from './stats.ts';
import { treeCpuSeconds } from './targets/process-info.ts';
import { BenchEnv } from './targets/session.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const target = option('target', 'hub') as 'hub' | 'aedes';
const devices = Number(option('devices', '1000'));
const intervalMs = Number(option('intervalMs', '30000'));
const soakMs = Number(option('soakMs', '60000'));
const saturateMs = Number(option('saturateMs', '15000'));
const window = Number(option('window', String(devices)));
// --rateMs=1000: the CPU phase at a fixed rate (every device once per rateMs) instead of saturation, so two
// targets measured side by side do the same work per second and their fixed costs per second weigh the same.
const rateMs = Number(option('rateMs', '0'));

const env = new BenchEnv();
for (const pair of option('hubEnv', '').split(';').filter(Boolean)) {
  const at = pair.indexOf('=');
  env.hubEnv[pair.slice(0, at)] = pair.slice(at + 1);
}
if (argv.includes('--hubFlags=none')) env.hubProductionFlags = false;
env.hubExecArgv = option('execArgv', '').split(' ').filter(Boolean);
if (argv.includes('--cpu-prof')) {
  const dir = path.join(root, '.bench-results', 'profiles');
  mkdirSync(dir, { recursive: true });
  env.hubExecArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
}

const mib = (kib: number) => round(kib / 1024)!;

/** The hub's own view of its memory (prom-client's default metrics): heap used/total, external, by phase. */
async function split(
  api: { metricsText(): Promise<string> } | undefined,
): Promise<Record<string, number> | null> {
  if (!api) return null;
  const text = await api.metricsText();
  const out: Record<string, number> = {};
  for (const [key, re] of [
    ['heapUsed', /^hub_process_nodejs_heap_size_used_bytes (\S+)/m],
    ['heapTotal', /^hub_process_nodejs_heap_size_total_bytes (\S+)/m],
    ['external', /^hub_process_nodejs_external_memory_bytes (\S+)/m],
    ['newSpace', /^hub_process_nodejs_heap_space_size_total_bytes\{space="new"\} (\S+)/m],
    ['oldSpaceUsed', /^hub_process_nodejs_heap_space_size_used_bytes\{space="old"\} (\S+)/m],
    ['oldSpace', /^hub_process_nodejs_heap_space_size_total_bytes\{space="old"\} (\S+)/m],
    // Module source texts over ~0.5 MB (hub/dist/server.js) and big arrays live here, not in old space.
    ['largeObjectSpace', /^hub_process_nodejs_heap_space_size_total_bytes\{space="large_object"\} (\S+)/m],
    ['codeSpace', /^hub_process_nodejs_heap_space_size_total_bytes\{space="code"\} (\S+)/m],
  ] as const) {
    const m = re.exec(text);
    if (m) out[key] = round(Number(m[1]) / 1048576)!;
  }
  return out;
}
const load = () => round(os.loadavg()[0], 1);

try {
  // --noBuild: several probes started at once must not rebuild hub/dist under each other's running hubs.
  if (target === 'hub' && !argv.includes('--noBuild'))
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'hub', '--quiet'], {
      stdio: 'inherit',
    });
  if (target === 'hub') {
    progress(`hub: provisioning ${devices} devices`);
    await env.provisionHub(devices);
  }
  const session = await env.open(target, devices);
  const pid = session.target.pid;
  await sleep(3000);
  const idleMiB = mib(session.target.rssKiB());
  const splits: Record<string, Record<string, number> | null> = { idle: await split(session.api) };
  const pool = new LoadPool({
    host: session.target.host,
    port: session.target.port,
    devices: session.devices(devices),
  });
  try {
    await pool.start();
    await sleep(3000);
    const connectedMiB = mib(session.target.rssKiB());
    splits.connected = await split(session.api);
    progress(
      `${target}: idle ${idleMiB} MiB, ${devices} connected ${connectedMiB} MiB; soak ${soakMs / 1000} s`,
    );
    const soakSamples: number[] = [];
    let soaking = true;
    const soak = pool.rate(intervalMs, soakMs).finally(() => {
      soaking = false;
    });
    while (soaking) {
      await sleep(2000);
      soakSamples.push(mib(session.target.rssKiB()));
    }
    const soakTotals = await soak;
    splits.soak = await split(session.api);
    progress(`  soak RSS max ${Math.max(...soakSamples)} MiB, ${soakTotals.acked}/${soakTotals.sent} acked`);

    // CPU per heartbeat: the tree's CPU seconds over a saturation run ÷ heartbeats the target processed.
    const before = { cpu: treeCpuSeconds(pid), processed: (await session.processed()) ?? 0, load: load() };
    const sat = rateMs > 0 ? await pool.rate(rateMs, saturateMs) : await pool.saturate(window, saturateMs);
    await sleep(1000); // the last acknowledged heartbeats' bookkeeping
    const after = { cpu: treeCpuSeconds(pid), processed: (await session.processed()) ?? 0, load: load() };
    const processed = after.processed - before.processed;
    const cpuS = after.cpu - before.cpu;
    const result = {
      target,
      hubEnv: env.hubEnv,
      productionFlags: target === 'hub' && env.hubProductionFlags,
      execArgv: env.hubExecArgv,
      devices,
      idleMiB,
      connectedMiB,
      soak: { intervalMs, soakMs, maxMiB: Math.max(...soakSamples), samplesMiB: soakSamples },
      saturate: {
        mode: rateMs > 0 ? `every device each ${rateMs} ms` : `closed loop, ${window} in flight`,
        ms: saturateMs,
        acked: sat.acked,
        processed,
        ratePerS: round(processed / (sat.ms / 1000)),
        cpuS: round(cpuS, 2),
        cpuUsPerHeartbeat: processed > 0 ? round((cpuS * 1e6) / processed) : null,
        loadAvg: [before.load, after.load],
      },
      rssAfterMiB: mib(session.target.rssKiB()),
      splits,
    };
    console.log(JSON.stringify(result));
  } finally {
    await pool.stop();
    await session.stop();
  }
} finally {
  env.cleanup();
}
