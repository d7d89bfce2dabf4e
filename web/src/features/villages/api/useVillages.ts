import type { DeviceView } from '@commune-hub/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { hubApi } from '../../../lib/http.ts';

/** Changes exactly when a device's status changes (live over the socket): the verdicts refetch then. */
function statusFingerprint(devices: readonly DeviceView[]): string {
  let hash = 0;
  for (const d of devices) {
    const key = `${d.id}|${d.status}|${d.since}`;
    for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  }
  return `${devices.length}:${hash >>> 0}`;
}

/**
 * `GET /api/villages/health`: each village's counts and outage verdict from the hub's classifier
 * (hub/src/correlation, the rule the alerts use), refetched when any device's status changes.
 */
export function useVillageHealth(devices: readonly DeviceView[]) {
  const fingerprint = useMemo(() => statusFingerprint(devices), [devices]);
  return useQuery({
    queryKey: ['villages', 'health', fingerprint],
    queryFn: ({ signal }) => hubApi.villageHealth({}, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** Communes (with their 2025 mergers): a village names the former commune it belonged to. */
export function useCommunes() {
  return useQuery({
    queryKey: ['communes'],
    queryFn: ({ signal }) => hubApi.communeList({}, { signal }),
    staleTime: 5 * 60_000,
  });
}
