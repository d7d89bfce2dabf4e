import { spawn } from 'node:child_process';
import type { ChildProbeResult } from './types.ts';

export interface IcmpOptions {
  /** Pings per target. */
  count: number;
  /** Per-ping timeout (fping -t), ms. */
  timeoutMs: number;
  /** fping binary (Debian: /usr/bin/fping, which has cap_net_raw). */
  fping?: string;
}

/**
 * Pings many targets in ONE fping run (`fping -C n -q`): no raw socket in this process, and one child
 * process per cycle rather than one per device. fping prints one line per target on stderr:
 * `10.0.0.1 : 0.51 0.47 -` where `-` is a lost ping.
 */
export async function probeIcmpBatch(
  addresses: readonly string[],
  options: IcmpOptions,
): Promise<Map<string, ChildProbeResult>> {
  const results = new Map<string, ChildProbeResult>();
  const unique = [...new Set(addresses)];
  if (unique.length === 0) return results;
  const args = ['-C', String(options.count), '-q', '-p', '25', '-t', String(options.timeoutMs), '-r', '0'];
  // Targets go on stdin (-f -), so thousands of them never hit the argument-length limit.
  const child = spawn(options.fping ?? 'fping', [...args, '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4 * 1024 * 1024) stderr += chunk;
  });
  child.stdin.end(`${unique.join('\n')}\n`);
  const hardLimitMs = options.count * (options.timeoutMs + 50) + unique.length * 2 + 5000;
  const exited = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(false);
    }, hardLimitMs);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  const parsed = parseFpingOutput(stderr);
  for (const address of unique) {
    const samples = parsed.get(address);
    if (!exited && !samples) {
      results.set(address, { metrics: { reachable: false }, faults: ['probe_error'], health: 'fault' });
      continue;
    }
    results.set(address, icmpResult(samples ?? []));
  }
  return results;
}

/** `host : 0.51 - 0.47` lines → RTT samples per host (null = lost). Other lines are ignored. */
export function parseFpingOutput(text: string): Map<string, Array<number | null>> {
  const out = new Map<string, Array<number | null>>();
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s+:\s+((?:[\d.]+|-)(?:\s+(?:[\d.]+|-))*)\s*$/.exec(line.trim());
    if (!match) continue;
    out.set(
      match[1]!,
      match[2]!.split(/\s+/).map((s) => (s === '-' ? null : Number(s))),
    );
  }
  return out;
}

export function icmpResult(samples: ReadonlyArray<number | null>): ChildProbeResult {
  const got = samples.filter((s): s is number => s !== null && Number.isFinite(s));
  const lossPct =
    samples.length === 0 ? 100 : Math.round(((samples.length - got.length) / samples.length) * 100);
  if (got.length === 0) {
    return { metrics: { reachable: false, lossPct: 100 }, faults: ['unreachable'], health: 'fault' };
  }
  const rttMs = Math.round((got.reduce((a, b) => a + b, 0) / got.length) * 100) / 100;
  const degraded = lossPct > 0;
  return {
    metrics: { reachable: true, rttMs, lossPct },
    faults: degraded ? ['packet_loss'] : [],
    health: degraded ? 'degraded' : 'ok',
  };
}
