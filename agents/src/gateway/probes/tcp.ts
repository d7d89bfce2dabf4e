import net from 'node:net';
import type { ProbeTarget } from '@commune-hub/protocol';
import { fault, faultOfError, ok, type ProbeContext, ProbeTimeout } from './types.ts';

/** Opens a TCP connection and closes it: reachability and connect latency. */
export async function probeTcp(target: ProbeTarget, ctx: ProbeContext) {
  try {
    const latencyMs = await connectLatency(target.address, target.port ?? 80, ctx.timeoutMs);
    return ok({ reachable: true, latencyMs });
  } catch (err) {
    return fault(faultOfError(err));
  }
}

export function connectLatency(host: string, port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new ProbeTimeout(timeoutMs));
    });
    socket.once('connect', () => {
      const ms = performance.now() - started;
      socket.destroy();
      resolve(Math.round(ms * 10) / 10);
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(err);
    });
  });
}
