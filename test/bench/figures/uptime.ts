/**
 * Uptime for one year of 300 devices computed through the API: times GET /api/uptime over the last year for
 * 300 provisioned devices. Skipped with a mark while the hub has no such endpoint (404).
 */
import { progress, round } from '../stats.ts';
import type { BenchEnv } from '../targets/session.ts';

export interface UptimeFigure {
  available: boolean;
  note: string;
  devices: number;
  status: number | null;
  ms: number | null;
}

const DEVICES = 300;

export async function uptimeFigure(env: BenchEnv): Promise<UptimeFigure> {
  const session = await env.open('hub', DEVICES);
  try {
    const to = Date.now();
    const from = to - 365 * 86_400_000;
    const t0 = performance.now();
    const res = await session.api!.get(
      `/api/uptime?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
    );
    const ms = round(performance.now() - t0);
    await res.arrayBuffer();
    const figure: UptimeFigure =
      res.status === 404
        ? {
            available: false,
            note: 'not yet available (GET /api/uptime answers 404)',
            devices: DEVICES,
            status: 404,
            ms: null,
          }
        : {
            available: res.ok,
            note: res.ok
              ? 'one request over the last 365 days; the devices hold only the heartbeats of this run'
              : `GET /api/uptime answered ${res.status}`,
            devices: DEVICES,
            status: res.status,
            ms,
          };
    progress(`uptime: ${JSON.stringify(figure)}`);
    return figure;
  } finally {
    await session.stop();
  }
}
