/**
 * Store benchmark (issue 4): sustained write throughput and query latency of both TimeSeriesStores on
 * this machine, at 300, 5,000 and 50,000 devices' worth of data, and a year of heartbeats for 300
 * devices on the embedded store.
 *   npx tsx test/bench/store-bench.ts --quick                 # 300 devices only, < 30 s
 *   npx tsx test/bench/store-bench.ts                         # full
 *   npx tsx test/bench/store-bench.ts --year-days=365         # year run length (full mode; default 365)
 *   npx tsx test/bench/store-bench.ts --only-year              # the year run alone
 * Each scale: one device gets 30 days of history at 30 s (the chart's data), then every device gets a
 * window of heartbeats at 30 s, time-major as a hub would write them; writes go in chunks of 10,000 rows
 * followed by flush() (the hub's ingest rate is far lower, so this is the ceiling, not the need).
 * Queries: the 30-day chart (metricSeries, 1 h step) and a day of raw heartbeats for that one device.
 * Prints a table; writes .bench-results/store.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hb } from '../../hub/src/store/contract/fixtures.ts';
import { InfluxTimeSeriesStore } from '../../hub/src/store/influx/influx-store.ts';
import { SqliteTimeSeriesStore } from '../../hub/src/store/sqlite-store.ts';
import type { HeartbeatRow, TimeSeriesStore } from '../../hub/src/store/types.ts';
import { type InfluxdServer, startInfluxd } from '../setup/influxd.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const quick = process.argv.includes('--quick');
const yearDaysArg = process.argv.find((a) => a.startsWith('--year-days='));
const yearDays = yearDaysArg ? Number(yearDaysArg.split('=')[1]) : 365;
const skipYear = process.argv.includes('--no-year');
/** Only the year run of the embedded store (it takes about an hour at full length). */
const onlyYear = process.argv.includes('--only-year');

const DAY = 86_400_000;
const INTERVAL = 30_000;
const END = Date.UTC(2026, 0, 1);
const CHUNK = 10_000;
const QUERY_RUNS = 5;

interface Scale {
  devices: number;
  /** Heartbeats per device in the bulk window. */
  perDevice: number;
}
const SCALES: Scale[] = quick
  ? [{ devices: 300, perDevice: 120 }]
  : [
      { devices: 300, perDevice: 2880 },
      { devices: 5000, perDevice: 240 },
      { devices: 50000, perDevice: 40 },
    ];

interface Latency {
  medianMs: number;
  maxMs: number;
  resultSize: number;
}
interface Result {
  store: string;
  scenario: string;
  devices: number;
  rows: number;
  writeS: number;
  rowsPerS: number;
  chart30d: Latency;
  day: Latency;
}

const log = (msg: string) => process.stderr.write(`[store-bench] ${msg}\n`);
const id = (i: number) => `dev-${String(i).padStart(5, '0')}`;

function row(device: number, ts: number, seq: number): HeartbeatRow {
  return hb(id(device), ts, seq, {
    kind: device % 3 === 0 ? 'wifi' : 'loudspeaker',
    village: `Thôn ${device % 12}`,
    m: { signal: -50 - ((seq * 7 + device) % 40), volume: 70, playing: seq % 2 === 0, source: 'mains' },
  });
}

/** Device 0's 30 days, then `perDevice` ticks of every device, time-major. */
function* rows(scale: Scale, historyDays: number): Generator<HeartbeatRow> {
  const historyStart = END - historyDays * DAY;
  const windowStart = END - scale.perDevice * INTERVAL;
  for (let ts = historyStart, seq = 0; ts < windowStart; ts += INTERVAL, seq++) yield row(0, ts, seq);
  const seq0 = (windowStart - historyStart) / INTERVAL;
  for (let k = 0; k < scale.perDevice; k++) {
    const ts = windowStart + k * INTERVAL;
    for (let d = 0; d < scale.devices; d++) yield row(d, ts + (d % 1000), seq0 + k);
  }
}

async function write(
  store: TimeSeriesStore,
  source: Iterable<HeartbeatRow>,
): Promise<{ rows: number; s: number }> {
  const t0 = performance.now();
  let n = 0;
  let chunk: HeartbeatRow[] = [];
  for (const r of source) {
    chunk.push(r);
    if (chunk.length === CHUNK) {
      store.writeHeartbeats(chunk);
      await store.flush();
      n += chunk.length;
      chunk = [];
      if (n % 1_000_000 === 0) log(`  ${store.name}: ${n / 1e6} M rows`);
    }
  }
  store.writeHeartbeats(chunk);
  await store.flush();
  n += chunk.length;
  return { rows: n, s: (performance.now() - t0) / 1000 };
}

async function time(fn: () => Promise<unknown[]>): Promise<Latency> {
  const ms: number[] = [];
  let size = 0;
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t0 = performance.now();
    size = (await fn()).length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: round(ms[Math.floor(ms.length / 2)]!), maxMs: round(ms.at(-1)!), resultSize: size };
}

const round = (x: number) => Math.round(x * 100) / 100;

async function measure(
  store: TimeSeriesStore,
  scenario: string,
  devices: number,
  source: Iterable<HeartbeatRow>,
) {
  const w = await write(store, source);
  const chart30d = await time(() =>
    store.metricSeries(id(0), 'signal', { from: END - 30 * DAY, to: END }, 3_600_000),
  );
  const day = await time(() => store.heartbeats(id(0), { from: END - DAY, to: END }, 10_000));
  const result: Result = {
    store: store.name,
    scenario,
    devices,
    rows: w.rows,
    writeS: round(w.s),
    rowsPerS: Math.round(w.rows / w.s),
    chart30d,
    day,
  };
  log(`  ${JSON.stringify(result)}`);
  return result;
}

type Factory = () => Promise<{ store: TimeSeriesStore; cleanup: () => Promise<void> }>;

function sqliteFactory(): Factory {
  return async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'store-bench-sqlite-'));
    const store = new SqliteTimeSeriesStore({ dataDir, retentionMs: 400 * DAY });
    await store.open();
    const cleanup = async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
    return { store, cleanup };
  };
}

function influxFactory(server: InfluxdServer): Factory {
  let n = 0;
  return async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'store-bench-influx-'));
    const database = `bench_${process.pid}_${n++}`;
    const store = new InfluxTimeSeriesStore({
      url: server.url,
      username: server.username,
      password: server.password,
      database,
      retentionMs: 400 * DAY,
      dataDir,
      queryTimeoutMs: 600_000,
    });
    await store.open();
    return {
      store,
      cleanup: async () => {
        await store.close();
        const auth = Buffer.from(`${server.username}:${server.password}`).toString('base64');
        await fetch(`${server.url}/query`, {
          method: 'POST',
          headers: { authorization: `Basic ${auth}` },
          body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }),
        });
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
}

function table(results: Result[]): string {
  const head = [
    'store',
    'scenario',
    'devices',
    'rows',
    'write s',
    'rows/s',
    '30-day chart ms (median/max, points)',
    'day of heartbeats ms (median/max, rows)',
  ];
  const lines = results.map((r) => [
    r.store,
    r.scenario,
    String(r.devices),
    String(r.rows),
    String(r.writeS),
    String(r.rowsPerS),
    `${r.chart30d.medianMs} / ${r.chart30d.maxMs} (${r.chart30d.resultSize})`,
    `${r.day.medianMs} / ${r.day.maxMs} (${r.day.resultSize})`,
  ]);
  return [head, head.map(() => '---'), ...lines].map((l) => `| ${l.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const started = new Date();
  const server = await startInfluxd({ database: 'bench' });
  const results: Result[] = [];
  try {
    const stores: Array<[string, Factory]> = [
      ['sqlite', sqliteFactory()],
      ['influx', influxFactory(server)],
    ];
    for (const scale of onlyYear ? [] : SCALES) {
      for (const [name, make] of stores) {
        log(`${name}: ${scale.devices} devices × ${scale.perDevice} heartbeats + 30 days of one device`);
        const { store, cleanup } = await make();
        try {
          results.push(await measure(store, `${scale.perDevice} hb/device`, scale.devices, rows(scale, 30)));
        } finally {
          await cleanup();
        }
      }
    }
    if (!quick && !skipYear) {
      const scale = { devices: 300, perDevice: Math.round((yearDays * DAY) / INTERVAL) };
      log(
        `sqlite: a year run: 300 devices × ${yearDays} days at 30 s = ${scale.devices * scale.perDevice} rows`,
      );
      const { store, cleanup } = await sqliteFactory()();
      try {
        results.push(await measure(store, `${yearDays} days at 30 s`, 300, rows(scale, yearDays)));
      } finally {
        await cleanup();
      }
    }
  } finally {
    await server.stop();
  }
  console.log(table(results));
  const out = path.join(root, '.bench-results');
  mkdirSync(out, { recursive: true });
  const report = { started: started.toISOString(), quick, node: process.version, results };
  writeFileSync(
    path.join(out, onlyYear ? 'store-year.json' : 'store.json'),
    JSON.stringify(report, null, 2) + '\n',
  );
  log(
    `wrote ${path.join(out, onlyYear ? 'store-year.json' : 'store.json')} in ${Math.round((Date.now() - started.getTime()) / 1000)} s`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
