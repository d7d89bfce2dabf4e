import type { DeviceUptime, HeartbeatRecord, SeriesPoint, Transition } from '@commune-hub/protocol';
import { useQuery } from '@tanstack/react-query';
import { fetchJson, withQuery } from '../../../lib/http.ts';

const HOUR_MS = 3_600_000;

function devicePath(id: string, what: string): string {
  return `/api/devices/${encodeURIComponent(id)}/${what}`;
}

/**
 * Heartbeats of the last hour, newest first. `version` changes when the device is heard again
 * (its lastSeq), so the list follows live data without polling.
 */
export function useHeartbeats(id: string, version: unknown) {
  return useQuery({
    queryKey: ['devices', id, 'heartbeats', version],
    queryFn: async ({ signal }) => {
      const from = Date.now() - HOUR_MS;
      const rows = await fetchJson<HeartbeatRecord[]>(
        withQuery(devicePath(id, 'heartbeats'), { from, limit: 5000 }),
        signal,
      );
      return rows.slice(-20).reverse();
    },
    placeholderData: (prev) => prev,
  });
}

/** Status changes of the last 7 days, newest first; refetched when the device's status changes. */
export function useTransitions(id: string, version: unknown) {
  return useQuery({
    queryKey: ['devices', id, 'transitions', version],
    queryFn: async ({ signal }) => {
      const from = Date.now() - 7 * 24 * HOUR_MS;
      const rows = await fetchJson<Transition[]>(withQuery(devicePath(id, 'transitions'), { from }), signal);
      return rows.slice().reverse();
    },
    placeholderData: (prev) => prev,
  });
}

/** One numeric metric over the last 6 hours in 5-minute buckets (refreshed every minute). */
export function useMetricSeries(id: string, metric: string | null) {
  return useQuery({
    queryKey: ['devices', id, 'series', metric],
    enabled: metric !== null,
    queryFn: ({ signal }) => {
      const from = Date.now() - 6 * HOUR_MS;
      return fetchJson<SeriesPoint[]>(
        withQuery(devicePath(id, 'series'), { metric: metric ?? '', from, stepS: 300 }),
        signal,
      );
    },
    refetchInterval: 60_000,
    placeholderData: (prev) => prev,
  });
}

/** Uptime over the last 24 h, 7 days and 30 days (refreshed every minute). */
export function useUptime(id: string) {
  return useQuery({
    queryKey: ['devices', id, 'uptime'],
    queryFn: ({ signal }) => {
      const to = Date.now();
      return Promise.all(
        [1, 7, 30].map((days) =>
          fetchJson<DeviceUptime>(
            withQuery(devicePath(id, 'uptime'), { from: to - days * 24 * HOUR_MS, to }),
            signal,
          ),
        ),
      );
    },
    refetchInterval: 60_000,
    placeholderData: (prev) => prev,
  });
}
