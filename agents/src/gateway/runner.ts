import type { ProbeConfigMessage, ProbeTarget } from '@commune-hub/protocol';
import { createLimit } from './limit.ts';
import { probeHttp } from './probes/http.ts';
import { probeIcmpBatch } from './probes/icmp.ts';
import { probeRtsp } from './probes/rtsp.ts';
import { probeSip } from './probes/sip.ts';
import { probeSnmp } from './probes/snmp.ts';
import { probeTcp } from './probes/tcp.ts';
import { type ChildProbeResult, type ProbeContext, ProbeTimeout } from './probes/types.ts';
import type { VendorOid } from './snmp-vendors.ts';

export interface RunnerOptions {
  /** Most probes (sockets) in flight at once; ICMP is one fping run for all due targets. */
  concurrency: number;
  /** Default per-probe timeout; a target may set its own (`timeoutMs`). */
  timeoutMs: number;
  pingCount: number;
  vendors: ReadonlyMap<string, VendorOid>;
  now: () => number;
  fping?: string;
}

export interface ChildOutcome {
  id: string;
  result: ChildProbeResult;
  /** When the gateway started probing this child (for `up` when the device cannot say). */
  firstProbedAt: number;
}

interface ChildState {
  lastStartedAt: number;
  firstProbedAt: number;
  /** A change of target resets what the probe remembered (counters of another device). */
  targetKey: string;
  memory: Map<string, unknown>;
}

/**
 * Runs the probes that are due: each child every `target.intervalS`, all ICMP targets of a cycle in one
 * fping run, the rest through a concurrency limit, each with a deadline. A probe that throws or hangs
 * becomes that child's `fault`; nothing here can reject.
 */
export class ProbeRunner {
  private readonly state = new Map<string, ChildState>();
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(private readonly options: RunnerOptions) {
    this.limit = createLimit(options.concurrency);
  }

  /** Children due at `now` (never probed, or their interval elapsed). */
  due(config: ProbeConfigMessage | undefined, now: number): ProbeConfigMessage['children'] {
    if (!config) return [];
    const live = new Set(config.children.map((c) => c.id));
    for (const id of this.state.keys()) if (!live.has(id)) this.state.delete(id);
    return config.children.filter((child) => {
      const state = this.state.get(child.id);
      if (!state || state.targetKey !== JSON.stringify(child.target)) return true;
      // A little slack so a tick that lands a few ms early does not skip a whole interval.
      return now - state.lastStartedAt >= child.target.intervalS * 1000 - 500;
    });
  }

  /** Every child is due at the next cycle (after a reconnect: the hub has them offline until they report). */
  makeAllDue(): void {
    for (const state of this.state.values()) state.lastStartedAt = Number.NEGATIVE_INFINITY;
  }

  async run(children: ProbeConfigMessage['children']): Promise<ChildOutcome[]> {
    const now = this.options.now();
    for (const child of children) {
      const key = JSON.stringify(child.target);
      const state = this.state.get(child.id);
      if (!state || state.targetKey !== key) {
        this.state.set(child.id, {
          lastStartedAt: now,
          firstProbedAt: now,
          targetKey: key,
          memory: new Map(),
        });
      } else state.lastStartedAt = now;
    }
    const icmp = children.filter((c) => c.target.type === 'icmp');
    const others = children.filter((c) => c.target.type !== 'icmp');
    const [icmpResults, otherResults] = await Promise.all([
      this.runIcmp(icmp.map((c) => c.target)),
      Promise.all(others.map((c) => this.limit(() => this.runOne(c.id, c.target)))),
    ]);
    const outcomes: ChildOutcome[] = [];
    for (const child of icmp) {
      const result = icmpResults.get(child.target.address) ?? {
        metrics: { reachable: false },
        faults: ['probe_error'],
        health: 'fault' as const,
      };
      outcomes.push({ id: child.id, result, firstProbedAt: this.state.get(child.id)!.firstProbedAt });
    }
    others.forEach((child, i) => {
      outcomes.push({
        id: child.id,
        result: otherResults[i]!,
        firstProbedAt: this.state.get(child.id)!.firstProbedAt,
      });
    });
    return outcomes;
  }

  private async runIcmp(targets: ProbeTarget[]): Promise<Map<string, ChildProbeResult>> {
    if (targets.length === 0) return new Map();
    const timeoutMs = Math.min(...targets.map((t) => t.timeoutMs ?? this.options.timeoutMs), 2000);
    try {
      return await probeIcmpBatch(
        targets.map((t) => t.address),
        { count: this.options.pingCount, timeoutMs, fping: this.options.fping },
      );
    } catch {
      return new Map();
    }
  }

  private async runOne(id: string, target: ProbeTarget): Promise<ChildProbeResult> {
    const timeoutMs = target.timeoutMs ?? this.options.timeoutMs;
    const ctx: ProbeContext = {
      timeoutMs,
      now: this.options.now,
      memory: this.state.get(id)?.memory ?? new Map(),
    };
    let timer: NodeJS.Timeout | undefined;
    // Backstop: every probe has its own deadline, this one catches a probe that forgot to honour it.
    const backstop = new Promise<ChildProbeResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ metrics: { reachable: false }, faults: ['timeout'], health: 'fault' }),
        timeoutMs + 1000,
      );
    });
    try {
      return await Promise.race([this.probe(target, ctx), backstop]);
    } catch (err) {
      return {
        metrics: { reachable: false },
        faults: [err instanceof ProbeTimeout ? 'timeout' : 'probe_error'],
        health: 'fault',
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private probe(target: ProbeTarget, ctx: ProbeContext): Promise<ChildProbeResult> {
    switch (target.type) {
      case 'tcp':
        return probeTcp(target, ctx);
      case 'http':
        return probeHttp(target, ctx);
      case 'rtsp':
        return probeRtsp(target, ctx);
      case 'snmp':
        return probeSnmp(target, ctx, this.options.vendors);
      case 'sip':
        return probeSip(target, ctx);
      case 'icmp':
        return probeIcmpBatch([target.address], {
          count: this.options.pingCount,
          timeoutMs: ctx.timeoutMs,
        }).then((m) => m.get(target.address)!);
    }
  }
}
