/**
 * Memory growth over a soak: the hub with N devices heartbeating at their interval, RSS sampled through the
 * run; growth compares the last sample with the first one after a warm-up of one interval.
 */
import type { BenchConfig } from '../config.ts';
import { LoadPool } from '../loadgen/pool.ts';
import { progress, round, sleep } from '../stats.ts';
import type { BenchEnv } from '../targets/session.ts';
import type { TargetName } from '../targets/target.ts';

export interface SoakFigure {
  target: TargetName;
  devices: number;
  intervalS: number;
  durationMs: number;
  samplesMiB: number[];
  startMiB: number | null;
  endMiB: number | null;
  growthPct: number | null;
  sent: number;
  acked: number;
}

export async function soakFigure(env: BenchEnv, name: TargetName, config: BenchConfig): Promise<SoakFigure> {
  const n = config.soakDevices;
  progress(
    `${name}: soak with ${n} devices every ${config.soakIntervalMs / 1000} s for ${config.soakMs / 1000} s`,
  );
  const session = await env.open(name, n);
  const pool = new LoadPool({
    host: session.target.host,
    port: session.target.port,
    devices: session.devices(n),
  });
  try {
    await pool.start();
    const warmupMs = Math.min(config.soakIntervalMs, config.soakMs / 4);
    const samples: number[] = [];
    const running = pool.rate(config.soakIntervalMs, config.soakMs);
    let done = false;
    void running.finally(() => {
      done = true;
    });
    await sleep(warmupMs);
    const every = Math.max(1000, Math.round(config.soakMs / 60));
    while (!done) {
      samples.push(round(session.target.rssKiB() / 1024)!);
      await sleep(every);
    }
    const totals = await running;
    samples.push(round(session.target.rssKiB() / 1024)!);
    const start = samples[0] ?? null;
    const end = samples.at(-1) ?? null;
    const figure: SoakFigure = {
      target: name,
      devices: n,
      intervalS: config.soakIntervalMs / 1000,
      durationMs: config.soakMs,
      samplesMiB: samples,
      startMiB: start,
      endMiB: end,
      growthPct: start && end ? round(((end - start) / start) * 100, 2) : null,
      sent: totals.sent,
      acked: totals.acked,
    };
    progress(`  soak RSS ${start} → ${end} MiB (${figure.growthPct}%), ${totals.acked}/${totals.sent} acked`);
    return figure;
  } finally {
    await pool.stop();
    await session.stop();
  }
}
