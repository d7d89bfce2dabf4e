/**
 * Every figure that needs many connected devices, for one target: RSS per connected device, sustained
 * ingest at saturation, latency at saturation and at a province's load, and the lossless run at 80% of
 * saturation. One session per device count, because connecting tens of thousands of devices is the slow part.
 */
import os from 'node:os';
import type { BenchConfig } from '../config.ts';
import { LoadPool, type RunTotals } from '../loadgen/pool.ts';
import { median, percentile, progress, round, sleep } from '../stats.ts';
import { treeCpuSeconds } from '../targets/process-info.ts';
import type { BenchEnv, Session } from '../targets/session.ts';
import type { TargetName } from '../targets/target.ts';

export interface MemoryFigure {
  devices: number;
  connected: number;
  rssBeforeMiB: number | null;
  rssAfterMiB: number | null;
  /** (RSS with N devices connected − RSS before) / N. */
  kibPerDevice: number | null;
  connectMs: number;
}

export interface IngestRound {
  /** Heartbeats/s that reached the consumer (hub: fully processed counter). */
  processedPerS: number | null;
  /** Heartbeats/s PUBACKed to the generator. */
  ackedPerS: number;
  /** CPU of the target process, in cores (1.0 = one core busy). */
  targetCores: number;
  p50Ms: number;
  p99Ms: number;
  unacked: number;
  /** CPU of the generator's workers and of the bench process (consumer), in cores. */
  generatorCores: number;
  consumerCores: number;
  /** 1-minute load average of the machine after the round: other work competing for the 2 cores shows here. */
  loadAvg: number;
}

export interface IngestFigure {
  devices: number;
  connected: number;
  rounds: IngestRound[];
  processedPerS: number | null;
  ackedPerS: number | null;
  targetCores: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

export interface ProvinceFigure {
  devices: number;
  intervalS: number;
  roundMs: number;
  rounds: { received: number; p50Ms: number; p99Ms: number; loadAvg: number }[];
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

export interface LossFigure {
  devices: number;
  ratePerS: number;
  durationMs: number;
  sent: number;
  acked: number;
  unacked: number;
  errors: number;
  /** Hub: accepted-counter delta; brokers: messages the subscriber received. */
  processed: number | null;
  lost: number | null;
}

export interface LoadFigures {
  memory: MemoryFigure[];
  ingest: IngestFigure[];
  province: ProvinceFigure | null;
  loss: LossFigure | null;
  notes: string[];
}

export async function loadFigures(
  env: BenchEnv,
  name: TargetName,
  config: BenchConfig,
): Promise<LoadFigures> {
  const out: LoadFigures = { memory: [], ingest: [], province: null, loss: null, notes: [] };
  const counts = [
    ...new Set([...config.memoryDevices, ...config.ingestDevices, config.provinceDevices]),
  ].sort((a, b) => a - b);
  let lastSaturation: number | null = null;
  for (const n of counts) {
    progress(`${name}: session with ${n} devices`);
    const session = await env.open(name, n);
    const pool = new LoadPool({
      host: session.target.host,
      port: session.target.port,
      devices: session.devices(n),
    });
    try {
      await sleep(config.settleMs);
      const rssBefore = session.target.rssKiB();
      const connected = await pool.start();
      await sleep(config.settleMs * 2);
      const rssAfter = session.target.rssKiB();
      if (connected.failed > 0)
        out.notes.push(`${name} ${n}: ${connected.failed} connections failed (${connected.firstError})`);
      if (config.memoryDevices.includes(n)) {
        out.memory.push({
          devices: n,
          connected: connected.connected,
          rssBeforeMiB: round(rssBefore / 1024),
          rssAfterMiB: round(rssAfter / 1024),
          kibPerDevice: connected.connected ? round((rssAfter - rssBefore) / connected.connected, 2) : null,
          connectMs: connected.ms,
        });
        progress(`  RSS ${round(rssBefore / 1024)} → ${round(rssAfter / 1024)} MiB`);
      }
      if (config.ingestDevices.includes(n)) {
        const figure = await ingest(session, pool, n, connected.connected, config);
        out.ingest.push(figure);
        lastSaturation = figure.ackedPerS ?? lastSaturation;
      }
      if (n === config.provinceDevices) {
        out.province = await province(session, pool, n, config);
        if (lastSaturation) out.loss = await lossless(session, pool, n, lastSaturation * 0.8, config.lossMs);
      }
    } finally {
      await pool.stop();
      await session.stop();
    }
  }
  return out;
}

async function ingest(
  session: Session,
  pool: LoadPool,
  n: number,
  connected: number,
  config: BenchConfig,
): Promise<IngestFigure> {
  const rounds: IngestRound[] = [];
  for (let r = 0; r < config.rounds; r++) {
    session.consumer.reset();
    const before = await session.processed();
    const cpu0 = treeCpuSeconds(session.target.pid);
    const gen0 = pool.cpuSeconds();
    const own0 = process.cpuUsage();
    const t0 = Date.now();
    const totals = await pool.saturate(
      Math.min(config.saturateWindow, Math.max(connected, 1)),
      config.saturateMs,
    );
    // The consumer trails the PUBACKs (a broker buffers for a slow subscriber, the hub batches): the rate
    // counts until the last heartbeat of the round got through, and the next phase starts on an idle target.
    const { value: after, at } = await drained(session);
    const elapsedS = (Math.max(at, t0 + totals.ms) - t0) / 1000;
    const wallS = (Date.now() - t0) / 1000;
    const cores = (treeCpuSeconds(session.target.pid) - cpu0) / wallS;
    const generatorCores = (pool.cpuSeconds() - gen0) / wallS;
    const own = process.cpuUsage(own0);
    const consumerCores = (own.user + own.system) / 1e6 / wallS;
    const round1: IngestRound = {
      processedPerS: before === null || after === null ? null : Math.round((after - before) / elapsedS),
      ackedPerS: Math.round(totals.acked / (totals.ms / 1000)),
      targetCores: round(cores, 2)!,
      p50Ms: percentile(session.consumer.latencyMs, 50),
      p99Ms: percentile(session.consumer.latencyMs, 99),
      unacked: totals.unacked + totals.errors,
      generatorCores: round(generatorCores, 2)!,
      consumerCores: round(consumerCores, 2)!,
      loadAvg: round(os.loadavg()[0], 2)!,
    };
    rounds.push(round1);
    progress(
      `  saturation round ${r + 1}/${config.rounds}: processed ${round1.processedPerS}/s, acked ${round1.ackedPerS}/s, ` +
        `target ${round1.targetCores} cores (generator ${round1.generatorCores}, consumer ${round1.consumerCores}), load ${round1.loadAvg}, latency p50 ${round1.p50Ms} p99 ${round1.p99Ms} ms` +
        (round1.unacked ? `, ${round1.unacked} unacked (${totals.firstError ?? 'timeout'})` : ''),
    );
  }
  const med = (pick: (r: IngestRound) => number | null) => {
    const values = rounds.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
    return values.length ? round(median(values)) : null;
  };
  return {
    devices: n,
    connected,
    rounds,
    processedPerS: med((r) => r.processedPerS),
    ackedPerS: med((r) => r.ackedPerS),
    targetCores: med((r) => r.targetCores),
    latencyP50Ms: med((r) => r.p50Ms),
    latencyP99Ms: med((r) => r.p99Ms),
  };
}

/** Waits until the processed count stops moving; returns it and when it last moved. */
async function drained(session: Session): Promise<{ value: number | null; at: number }> {
  let value = await session.processed();
  let at = Date.now();
  const deadline = at + 60_000;
  while (Date.now() < deadline) {
    await sleep(250);
    const next = await session.processed();
    if (next === value) {
      await sleep(250);
      const again = await session.processed();
      if (again === value) break;
      value = again;
    } else value = next;
    at = Date.now();
  }
  return { value, at };
}

async function province(
  session: Session,
  pool: LoadPool,
  n: number,
  config: BenchConfig,
): Promise<ProvinceFigure> {
  const rounds: ProvinceFigure['rounds'] = [];
  for (let r = 0; r < config.rounds; r++) {
    session.consumer.reset();
    await pool.rate(config.provinceIntervalMs, config.provinceMs);
    await drained(session);
    const lat = session.consumer.latencyMs;
    rounds.push({
      received: session.consumer.received,
      p50Ms: percentile(lat, 50),
      p99Ms: percentile(lat, 99),
      loadAvg: round(os.loadavg()[0], 2)!,
    });
    progress(`  province round ${r + 1}/${config.rounds}: ${JSON.stringify(rounds.at(-1))}`);
  }
  const med = (values: number[]) => round(median(values.filter(Number.isFinite)));
  return {
    devices: n,
    intervalS: config.provinceIntervalMs / 1000,
    roundMs: config.provinceMs,
    rounds,
    latencyP50Ms: med(rounds.map((r) => r.p50Ms)),
    latencyP99Ms: med(rounds.map((r) => r.p99Ms)),
  };
}

async function lossless(
  session: Session,
  pool: LoadPool,
  n: number,
  ratePerS: number,
  durationMs: number,
): Promise<LossFigure> {
  const before = await session.processed();
  const intervalMs = (n / ratePerS) * 1000;
  const totals: RunTotals = await pool.rate(intervalMs, durationMs);
  const { value: after } = await drained(session);
  const processed = before === null || after === null ? null : after - before;
  const figure: LossFigure = {
    devices: n,
    ratePerS: Math.round(ratePerS),
    durationMs,
    sent: totals.sent,
    acked: totals.acked,
    unacked: totals.unacked,
    errors: totals.errors,
    processed,
    lost: processed === null ? totals.sent - totals.acked : Math.max(0, totals.sent - processed),
  };
  progress(`  80% of saturation: ${JSON.stringify(figure)}`);
  return figure;
}
