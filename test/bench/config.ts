/** Bench parameters for the full mode (run by hand, results committed) and the quick mode (CI). */
import { execSync } from 'node:child_process';

export interface BenchConfig {
  mode: 'full' | 'quick';
  rounds: number;
  /** Device counts for sustained ingest (saturation). */
  ingestDevices: number[];
  /** Device counts for RSS per connected device. */
  memoryDevices: number[];
  saturateMs: number;
  /** Unacknowledged heartbeats kept in flight at saturation (over all workers). */
  saturateWindow: number;
  /** "A province": this many devices each `provinceIntervalMs`. */
  provinceDevices: number;
  provinceIntervalMs: number;
  provinceMs: number;
  /** Lossless check at 80% of the measured saturation rate. */
  lossMs: number;
  soakDevices: number;
  soakIntervalMs: number;
  soakMs: number;
  offlineRounds: number;
  targets: string[];
  /** Uptime figure: history backfilled for 300 devices over this many days, one heartbeat each interval. */
  uptimeDays: number;
  uptimeIntervalS: number;
  /** Pause before reading RSS, so the target is idle (ms). */
  settleMs: number;
}

/** One broker process may hold at most `ulimit -n` sockets; leave room for its files and listeners. */
export function deviceCap(): number {
  let limit = 1_048_576;
  try {
    limit = Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim()) || limit;
  } catch {}
  return limit - 250;
}

function capped(values: number[], cap: number): number[] {
  return [...new Set(values.map((v) => Math.min(v, cap)))];
}

export function parseArgs(argv: string[]): BenchConfig {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => {
    const hit = argv.find((a) => a.startsWith(`--${name}=`));
    return hit ? hit.slice(name.length + 3) : undefined;
  };
  const cap = deviceCap();
  const quick = flag('quick');
  const config: BenchConfig = quick
    ? {
        mode: 'quick',
        rounds: 1,
        ingestDevices: [200],
        memoryDevices: [200],
        saturateMs: 2000,
        saturateWindow: 200,
        provinceDevices: 200,
        provinceIntervalMs: 1000,
        provinceMs: 2000,
        lossMs: 2000,
        soakDevices: 200,
        soakIntervalMs: 1000,
        soakMs: 20_000,
        offlineRounds: 1,
        targets: ['aedes', 'mosquitto', 'hub'],
        settleMs: 500,
        uptimeDays: 30,
        uptimeIntervalS: 43_200,
      }
    : {
        mode: 'full',
        rounds: 5,
        ingestDevices: capped([5000, 20_000], cap),
        memoryDevices: capped([1000, 10_000, 20_000], cap),
        saturateMs: 10_000,
        saturateWindow: 2000,
        provinceDevices: Math.min(20_000, cap),
        provinceIntervalMs: 30_000,
        provinceMs: 30_000,
        lossMs: 60_000,
        soakDevices: Math.min(10_000, cap),
        soakIntervalMs: 30_000,
        soakMs: 30 * 60_000,
        offlineRounds: 5,
        targets: ['aedes', 'mosquitto', 'hub'],
        settleMs: 3000,
        uptimeDays: 365,
        uptimeIntervalS: 21_600,
      };
  const num = (name: keyof BenchConfig) => {
    const v = value(name);
    if (v !== undefined) (config[name] as number) = Number(v);
  };
  for (const key of [
    'rounds',
    'saturateMs',
    'provinceMs',
    'lossMs',
    'soakMs',
    'soakDevices',
    'soakIntervalMs',
  ] as const)
    num(key);
  // Narrow runs, e.g. one device count for all figures: --ingestDevices=5000 --memoryDevices=5000 --provinceDevices=5000
  const list = (name: 'ingestDevices' | 'memoryDevices') => {
    const v = value(name);
    if (v !== undefined) config[name] = capped(v.split(',').map(Number), cap);
  };
  list('ingestDevices');
  list('memoryDevices');
  const province = value('provinceDevices');
  if (province !== undefined) config.provinceDevices = Math.min(Number(province), cap);
  const targets = value('targets');
  if (targets) config.targets = targets.split(',');
  return config;
}
