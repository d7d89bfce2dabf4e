/**
 * Issue 15's comparison, one command, back to back on the same machine with the same generator:
 * bare aedes, the single hub node (the production build), the hub with HUB_WORKERS=2 (cluster mode on a
 * loopback Redis, PostgreSQL and InfluxDB started here), and optionally the hub of another tree (the
 * "before" of an optimisation, run from its sources with tsx as it was then).
 *
 *   npx tsx test/bench/compare.ts [--before=/path/to/tree] [--only=aedes,hub,hubPlain,workers2,before] [run.ts options]
 *
 * Every variant is one `test/bench/run.ts` process (its JSON in .bench-results/); this prints one
 * markdown table of the figures issue 15 asks for and writes .bench-results/compare-<time>.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const before = option('before');
const only = option('only')?.split(',');
const passThrough = argv.filter((a) => !/^--(before|only)=/.test(a));

interface Variant {
  name: string;
  label: string;
  target: 'aedes' | 'hub';
  cwd: string;
  args: string[];
  /** Started before the run, stopped after it. */
  services?: () => Promise<{ args: string[]; stop: () => Promise<void> }>;
}

const variants: Variant[] = [
  { name: 'aedes', label: 'bare aedes', target: 'aedes', cwd: root, args: ['--targets=aedes'] },
  {
    name: 'hub',
    label: 'hub, one node (node hub/dist/server.js with the flags of `npm run hub`)',
    target: 'hub',
    cwd: root,
    args: ['--targets=hub'],
  },
  {
    // The memory settings of package.json's `hub` script and the Dockerfile left out: their before/after.
    name: 'hubPlain',
    label: 'hub, one node, bare node hub/dist/server.js (no production memory settings)',
    target: 'hub',
    cwd: root,
    args: ['--targets=hub', '--hubFlags=none'],
  },
  {
    name: 'workers2',
    label: 'hub, HUB_WORKERS=2 (Redis, PostgreSQL, InfluxDB on loopback)',
    target: 'hub',
    cwd: root,
    args: ['--targets=hub'],
    services: async () => {
      // Loaded here: only this variant needs the servers' helpers (and a tree that has them).
      const { startInfluxd } = await import('../setup/influxd.ts');
      const { startPostgres } = await import('../setup/postgres.ts');
      const { startRedis } = await import('../support/redis.ts');
      const [redis, postgres, influx] = await Promise.all([
        startRedis(),
        startPostgres({ durable: true }),
        startInfluxd(),
      ]);
      const env = {
        HUB_WORKERS: '2',
        HUB_CLUSTER_REDIS_URL: redis.url,
        HUB_DB: 'postgres',
        HUB_DATABASE_URL: postgres.url,
        HUB_STORE: 'influx',
        HUB_INFLUX_URL: influx.url,
        HUB_INFLUX_USERNAME: influx.username,
        HUB_INFLUX_PASSWORD: influx.password,
        HUB_INFLUX_DATABASE: influx.database,
      };
      const hubEnv = Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(';');
      return {
        args: [`--hubEnv=${hubEnv}`],
        stop: async () => {
          await Promise.all([redis.stop(), postgres.stop(), influx.stop()]);
        },
      };
    },
  },
];
if (before) {
  variants.push({
    name: 'before',
    label: `hub before (${path.basename(before)}, sources under tsx)`,
    target: 'hub',
    cwd: before,
    // That tree's own hub from its sources under tsx, as `npm run hub` ran it; the bench code is this one's.
    args: ['--targets=hub', '--hubRun=tsx'],
  });
}

interface Row {
  figure: string;
  hub: number | null;
  aedes: number | null;
}
interface Result {
  figures: Record<string, Row[]>;
  raw: {
    targets: Record<string, { load?: { ingest?: Array<{ rounds: Array<{ loadAvg: number }> }> } }>;
    soak: { devices: number; intervalS: number; durationMs: number; samplesMiB: number[] } | null;
  };
  meta: { machine: unknown };
}

const results: Array<{ variant: Variant; file: string | null; result: Result | null; error?: string }> = [];
for (const variant of variants) {
  if (only && !only.includes(variant.name)) continue;
  progress(`=== ${variant.label}`);
  let services: Awaited<ReturnType<NonNullable<Variant['services']>>> | undefined;
  try {
    services = await variant.services?.();
    const run = spawnSync(
      'npx',
      ['tsx', 'test/bench/run.ts', ...passThrough, ...variant.args, ...(services?.args ?? [])],
      { cwd: variant.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
    );
    const file = /results: (\S+\.json)/.exec(run.stdout)?.[1] ?? null;
    if (run.status !== 0 || !file) throw new Error(`run.ts exited with ${run.status}`);
    results.push({ variant, file, result: JSON.parse(readFileSync(file, 'utf8')) as Result });
  } catch (err) {
    progress(`  ${variant.name} failed: ${(err as Error).message}`);
    results.push({ variant, file: null, result: null, error: (err as Error).message });
  } finally {
    await services?.stop();
  }
}

/** The value of the first row whose label matches, in the column of the variant's target. */
function pick(result: Result | null, target: 'aedes' | 'hub', key: string, label: RegExp): number | null {
  const row = result?.figures[key]?.find((r) => label.test(r.figure));
  return row ? (row[target] ?? null) : null;
}

const columns = results.map(({ variant, result, error }) => {
  const t = variant.target;
  const loads = Object.values(result?.raw.targets ?? {}).flatMap(
    (x) => x.load?.ingest?.flatMap((i) => i.rounds.map((r) => r.loadAvg)) ?? [],
  );
  return {
    name: variant.name,
    label: variant.label,
    error,
    ingest: pick(result, t, 'ingest', /^sustained ingest/),
    acked: pick(result, t, 'ingest', /acknowledged/),
    cores: pick(result, t, 'ingest', /CPU of the target/),
    cpuPer1000: pick(result, t, 'ingest', /CPU per 1,000/),
    p99Province: pick(result, t, 'latencyProvince', /p99/),
    offlineWill: pick(result, t, 'offlineLastWill', /\(median\)/),
    offlineWillMax: pick(result, t, 'offlineLastWill', /\(worst\)/),
    offlineSilent: pick(result, t, 'offlineSilent', /\(median\)/),
    rssIdle: pick(result, t, 'memoryPerDevice', /^RSS idle/),
    rss: pick(result, t, 'memoryPerDevice', /^RSS with/),
    soak: result?.raw.soak ?? null,
    rssPerDevice: pick(result, t, 'memoryPerDevice', /^RSS per/),
    soakGrowth: pick(result, t, 'soakGrowth', /RSS growth/),
    loadAvg: loads.length > 0 ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : '—',
  };
});
const aedes = columns.find((c) => c.name === 'aedes');
const fmt = (v: number | null | undefined) => (v == null ? '—' : v.toLocaleString('en-US'));
const rows: Array<[string, (c: (typeof columns)[number]) => string]> = [
  ['sustained ingest (hub: accepted; aedes: PUBACKed), /s', (c) => fmt(c.ingest)],
  ['  × bare aedes', (c) => (c.ingest && aedes?.ingest ? (c.ingest / aedes.ingest).toFixed(2) : '—')],
  ['  acknowledged (PUBACK), /s', (c) => fmt(c.acked)],
  ['  CPU of the target tree, cores', (c) => fmt(c.cores)],
  ['  CPU ms per 1,000 heartbeats', (c) => fmt(c.cpuPer1000)],
  ['p99 publish → dashboard (aedes: → subscriber) at a province’s load, ms', (c) => fmt(c.p99Province)],
  [
    'offline detection, dropped connection: median (worst), ms',
    (c) => (c.offlineWill == null ? '—' : `${fmt(c.offlineWill)} (${fmt(c.offlineWillMax)})`),
  ],
  ['offline detection beyond the grace, silent device (hub only): median, ms', (c) => fmt(c.offlineSilent)],
  ['RSS of the process tree with the devices connected, MiB', (c) => fmt(c.rss)],
  ['RSS per connected device, KiB', (c) => fmt(c.rssPerDevice)],
  ['RSS of the process tree idle (no device), MiB', (c) => fmt(c.rssIdle)],
  [
    'RSS of the tree during the soak (devices × heartbeat interval, duration): max MiB',
    (c) =>
      c.soak && c.soak.samplesMiB.length > 0
        ? `${fmt(Math.max(...c.soak.samplesMiB))} (${c.soak.devices} × ${c.soak.intervalS} s, ${Math.round(c.soak.durationMs / 1000)} s)`
        : '—',
  ],
  ['RSS growth over the soak, %', (c) => fmt(c.soakGrowth)],
  ['load average during the saturation rounds', (c) => c.loadAvg],
];
const table = [
  `| Figure | ${columns.map((c) => c.label).join(' | ')} |`,
  `|---|${columns.map(() => '---:').join('|')}|`,
  ...rows.map(([label, cell]) => `| ${label} | ${columns.map(cell).join(' | ')} |`),
].join('\n');

const dir = path.join(root, '.bench-results');
mkdirSync(dir, { recursive: true });
const out = path.join(dir, `compare-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  out,
  `${JSON.stringify({ argv, loadavg: os.loadavg(), columns, files: results.map((r) => r.file) }, null, 2)}\n`,
);
process.stdout.write(
  `${table}\n\nruns: ${results.map((r) => r.file ?? `${r.variant.name}: failed`).join(', ')}\n`,
);
process.stdout.write(`comparison: ${out}\n`);
// A variant that did not run to the end fails the command (CI's quick bench runs the 2-worker one).
if (results.some((r) => r.error)) process.exitCode = 1;
