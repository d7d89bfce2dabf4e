import { useQuery } from '@tanstack/react-query';
import { hubApi } from '../../../lib/http.ts';

const HOUR_MS = 3_600_000;
/** How many heartbeats the panel lists. */
const HEARTBEATS_SHOWN = 20;

/**
 * The newest heartbeats of the last hour, newest first: the hub sorts and cuts (`order=desc`, `limit`),
 * so only the rows shown travel. `version` changes when the device is heard again (its lastSeq), so the
 * list follows live data without polling.
 */
export function useHeartbeats(id: string, version: unknown) {
  return useQuery({
    queryKey: ['devices', id, 'heartbeats', version],
    queryFn: ({ signal }) =>
      hubApi.deviceHeartbeats(
        {
          params: { id },
          query: { from: String(Date.now() - HOUR_MS), limit: HEARTBEATS_SHOWN, order: 'desc' },
        },
        { signal },
      ),
    placeholderData: (prev) => prev,
  });
}

/** Status changes of the last 7 days, newest first; refetched when the device's status changes. */
export function useTransitions(id: string, version: unknown) {
  return useQuery({
    queryKey: ['devices', id, 'transitions', version],
    queryFn: async ({ signal }) => {
      const from = String(Date.now() - 7 * 24 * HOUR_MS);
      const rows = await hubApi.deviceTransitions({ params: { id }, query: { from } }, { signal });
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
    queryFn: ({ signal }) =>
      hubApi.deviceSeries(
        {
          params: { id },
          query: { metric: metric ?? '', from: String(Date.now() - 6 * HOUR_MS), stepS: 300 },
        },
        { signal },
      ),
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
          hubApi.deviceUptime(
            { params: { id }, query: { from: String(to - days * 24 * HOUR_MS), to: String(to) } },
            { signal },
          ),
        ),
      );
    },
    refetchInterval: 60_000,
    placeholderData: (prev) => prev,
  });
}
