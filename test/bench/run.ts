/**
 * The benchmark suite of issue 6: the hub against bare aedes and Mosquitto, same generator, same machine,
 * same run. `npm run bench` (full, by hand) or `npm run bench -- --quick` (CI: checks the bench still runs).
 * Progress on stderr, the markdown table on stdout, everything in .bench-results/<timestamp>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './config.ts';
import { loadFigures } from './figures/load.ts';
import { offlineFigure } from './figures/offline.ts';
import { type SoakFigure, soakFigure } from './figures/soak.ts';
import { type UptimeFigure, uptimeFigure } from './figures/uptime.ts';
import { type WireFigure, wireFigure } from './figures/wire.ts';
import { machine } from './machine.ts';
import { buildFigures, markdownTable, type TargetResult } from './report.ts';
import { progress } from './stats.ts';
import { productionCommand } from './targets/production-command.ts';
import { BenchEnv } from './targets/session.ts';
import type { TargetName } from './targets/target.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = parseArgs(process.argv.slice(2));
const started = new Date();
const env = new BenchEnv();
if (process.argv.includes('--cpu-prof')) {
  const dir = path.join(root, '.bench-results', 'profiles');
  mkdirSync(dir, { recursive: true });
  env.hubExecArgv = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}
// --hubRun=tsx: the sources under the tsx loader (the hub before issue 15); default the built hub.
const hubRun = process.argv.find((a) => a.startsWith('--hubRun='))?.slice('--hubRun='.length);
if (hubRun === 'tsx' || hubRun === 'dist') {
  env.hubRun = hubRun;
  process.env.BENCH_HUB_RUN = hubRun;
}
// --hubEnv='HUB_WORKERS=2;HUB_CLUSTER_REDIS_URL=redis://…': settings of the built hub (compare.ts sets them).
const hubEnv = process.argv.find((a) => a.startsWith('--hubEnv='))?.slice('--hubEnv='.length);
for (const pair of hubEnv ? hubEnv.split(';') : []) {
  const at = pair.indexOf('=');
  if (at > 0) env.hubEnv[pair.slice(0, at)] = pair.slice(at + 1);
}
// --hubFlags=none: the built hub without the production flags of package.json's `hub` script.
if (process.argv.includes('--hubFlags=none')) env.hubProductionFlags = false;
const notes: string[] = [];
function productionFlagsText(): string {
  const { env: vars, nodeArgs } = productionCommand();
  return [...nodeArgs, ...Object.entries(vars).map(([k, v]) => `(${k}=${v})`), ''].join(' ');
}
if (env.hubRun === 'dist' && config.targets.includes('hub')) {
  // The production build of this tree, fresh (esbuild, under a second).
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'hub', '--quiet'], {
    stdio: 'inherit',
  });
}
notes.push(
  `hub run as ${env.hubRun === 'dist' ? `node ${env.hubProductionFlags ? productionFlagsText() : ''}hub/dist/server.js` : 'tsx (sources)'}` +
    (Object.keys(env.hubEnv).length > 0 ? ` with ${JSON.stringify(env.hubEnv)}` : '') +
    '; hub RSS and CPU are those of its whole process tree',
);
const hubAvailable = await BenchEnv.hubAvailable();
if (!hubAvailable)
  notes.push('hub not available: @commune-hub/hub does not export startHub yet; hub figures are empty');

progress(`mode ${config.mode}, targets ${config.targets.join(', ')}, ${config.rounds} round(s)`);
const targets: Partial<Record<TargetName, TargetResult>> = {};
let soak: SoakFigure | null = null;
let wire: WireFigure | null = null;
let uptime: UptimeFigure | null = null;

try {
  if (hubAvailable && config.targets.includes('hub')) {
    progress('hub: provisioning every device up front');
    await env.provisionHub(
      Math.max(
        ...config.memoryDevices,
        ...config.ingestDevices,
        config.provinceDevices,
        config.soakDevices,
        300,
      ),
    );
  }
  for (const name of config.targets as TargetName[]) {
    if (name === 'hub' && !hubAvailable) {
      targets.hub = { load: null, offline: null, skipped: 'hub not available' };
      continue;
    }
    const load = await loadFigures(env, name, config);
    const offline = await offlineFigure(env, name, config);
    notes.push(...load.notes);
    targets[name] = { load, offline };
  }
  const withHub = hubAvailable && config.targets.includes('hub');
  wire = await wireFigure(env, withHub ? 'hub' : (config.targets[0] as TargetName));
  if (withHub) {
    const uptimeDir = mkdtempSync(path.join(tmpdir(), 'bench-uptime-'));
    try {
      uptime = await uptimeFigure(uptimeDir, env.adminToken, config.uptimeDays, config.uptimeIntervalS);
    } finally {
      rmSync(uptimeDir, { recursive: true, force: true });
    }
    soak = await soakFigure(env, 'hub', config);
  } else {
    uptime = {
      available: false,
      note: 'not yet available (hub not run)',
      devices: 300,
      days: config.uptimeDays,
      intervalS: config.uptimeIntervalS,
      heartbeats: 0,
      backfillMs: null,
      status: null,
      ms: null,
      samplesMs: [],
    };
  }
} finally {
  env.cleanup();
}

const figures = buildFigures(targets, soak, wire, uptime);
const result = {
  meta: {
    date: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: config.mode,
    config,
    machine: await machine(),
    notes,
  },
  figures,
  raw: { targets, soak, wire, uptime },
};
const dir = path.join(root, '.bench-results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
progress(`results written to ${path.relative(root, file)}`);
process.stdout.write(`${markdownTable(figures)}\n`);
process.stdout.write(`\nresults: ${file}\n`);
// Sockets of the consumers may linger a moment; the run is over.
process.exit(0);
