/**
 * The SQLite part of ingest, alone and repeatable on a loaded machine: the hub's real embedded stores
 * (SqliteTimeSeriesStore in timeseries.db, SqliteCoverageStore in registry.db) written in the group
 * commit's pattern — every `commitMs` of heartbeats at `rate` per second, round-robin over `devices`, then
 * the store's commit and the coverage flush (the two steps of ../../hub/src/store/group-commit.ts) — and
 * the main thread's CPU time (process.cpuUsage: user + system) and wall time per heartbeat.
 *
 *   npx tsx test/bench/ingest-sqlite.ts [--devices=5000] [--rate=4000] [--commitMs=10] [--seconds=20]
 *     [--compare=1000,10000] [--pairs=3] [--walCheckpointPages=N]
 *
 * It runs `pairs` rounds of child runs, one per `wal_autocheckpoint` value of --compare (1,000 is SQLite's
 * default and the hub's), interleaved, and prints one JSON line per run and the medians per value.
 * --walCheckpointPages=N: one run in this process with that value.
 * Simulated time: `seconds` of heartbeats are written as fast as the stores take them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../hub/src/db/open.ts';
import { hb } from '../../hub/src/store/contract/fixtures.ts';
import { SqliteTimeSeriesStore } from '../../hub/src/store/sqlite-store.ts';
import { SqliteCoverageStore } from '../../hub/src/uptime/coverage.ts';
import { uptimeMigrations } from '../../hub/src/uptime/migrations.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const devices = Number(option('devices', '5000'));
const rate = Number(option('rate', '4000'));
const commitMs = Number(option('commitMs', '10'));
const seconds = Number(option('seconds', '20'));
const pages = option('walCheckpointPages', '');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function one(walPages: number): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ingest-sqlite-'));
  const store = new SqliteTimeSeriesStore({ dataDir, retentionMs: 400 * 86_400_000, maxBatch: 1e9 });
  await store.open();
  // The registry's step 1 is not needed here: coverage's own step stands on its own (version 2).
  const registryDb = openDatabase(dataDir, 'registry.db', [
    [{ version: 1, owner: 'bench', up: 'SELECT 1' }, ...uptimeMigrations.filter((m) => m.version === 2)],
  ]);
  const coverage = new SqliteCoverageStore(registryDb);
  const db = (store as unknown as { db: { pragma(s: string): unknown } }).db;
  for (const d of [db, registryDb]) d.pragma(`wal_autocheckpoint = ${walPages}`);
  const ids = Array.from({ length: devices }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
  const seq = new Array<number>(devices).fill(0);
  const perCommit = Math.max(1, Math.round((rate * commitMs) / 1000));
  const commits = Math.round((seconds * 1000) / commitMs);
  let next = 0;
  let ts = Date.UTC(2026, 11, 1);
  const write = (n: number) => {
    for (let c = 0; c < n; c++) {
      ts += commitMs;
      for (let k = 0; k < perCommit; k++) {
        const i = next++ % devices;
        const n = (seq[i] ?? 0) + 1;
        seq[i] = n;
        store.writeHeartbeats([hb(ids[i]!, ts, n)]);
        coverage.addHeartbeat(ids[i]!, ts, 75_000);
      }
      void store.commit();
      coverage.flush();
    }
  };
  write(Math.ceil(devices / perCommit) * 2); // every device's first heartbeats (new segments) before measuring
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  write(commits);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const heartbeats = commits * perCommit;
  await store.close();
  registryDb.close();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    walCheckpointPages: walPages,
    heartbeats,
    cpuUsPerHeartbeat: Math.round(((cpu.user + cpu.system) / heartbeats) * 10) / 10,
    userUs: Math.round((cpu.user / heartbeats) * 10) / 10,
    systemUs: Math.round((cpu.system / heartbeats) * 10) / 10,
    wallUsPerHeartbeat: Math.round(((wallMs * 1000) / heartbeats) * 10) / 10,
  };
}

if (pages) {
  console.log(JSON.stringify(await one(Number(pages))));
} else {
  const self = fileURLToPath(import.meta.url);
  const results: Array<Record<string, number>> = [];
  const variants = option('compare', '1000,10000').split(',').map(Number);
  for (let p = 0; p < Number(option('pairs', '3')); p++) {
    for (const walPages of variants) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, self, ...argv, `--walCheckpointPages=${walPages}`],
        { encoding: 'utf8' },
      );
      const line = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
      results.push(line);
      console.log(JSON.stringify(line));
    }
  }
  for (const walPages of variants) {
    const mine = results.filter((r) => r.walCheckpointPages === walPages);
    console.log(
      JSON.stringify({
        walCheckpointPages: walPages,
        medianCpuUsPerHeartbeat: median(mine.map((r) => r.cpuUsPerHeartbeat!)),
        medianWallUsPerHeartbeat: median(mine.map((r) => r.wallUsPerHeartbeat!)),
      }),
    );
  }
}
