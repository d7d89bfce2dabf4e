import type { DeviceView } from '@commune-hub/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { hubApi } from '../../../lib/http.ts';

/**
 * A short fingerprint of every device's status: it changes exactly when the socket reports a status
 * change, so the village verdicts and the feed refetch right then (a power cut shows within a second or
 * two) instead of polling.
 */
export function useStatusFingerprint(devices: readonly DeviceView[]): string {
  return useMemo(() => {
    let hash = 0;
    let problems = 0;
    for (const d of devices) {
      if (d.status === 'online') continue;
      problems++;
      const key = `${d.id}|${d.status}|${d.since}`;
      for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
    }
    return `${devices.length}:${problems}:${hash >>> 0}`;
  }, [devices]);
}

/** Each village's counts and outage verdict (power cut / network cut), from the hub's classifier. */
export function useVillageHealth(fingerprint: string) {
  return useQuery({
    queryKey: ['villages', 'health', fingerprint],
    queryFn: ({ signal }) => hubApi.villageHealth({}, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

const FEED_WINDOW_MS = 24 * 3_600_000;
const FEED_LIMIT = 100;

/** Changes of the last 24 h, newest first; refetched on a status change and every 30 s (alerts, reports). */
export function useFeed(fingerprint: string) {
  return useQuery({
    queryKey: ['feed', fingerprint],
    queryFn: ({ signal }) =>
      hubApi.feed({ query: { since: String(Date.now() - FEED_WINDOW_MS), limit: FEED_LIMIT } }, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}
