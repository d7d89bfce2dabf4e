import type { DeviceView } from '@commune-hub/protocol';
import { useQuery } from '@tanstack/react-query';
import { hubApi } from '../../../lib/http.ts';

export const DEVICES_QUERY_KEY = ['devices'] as const;

/**
 * All devices. REST gives the first answer; after that the socket keeps this cache entry current
 * (snapshot on connect, diffs per frame), so it never goes stale by itself.
 */
export function useDevices() {
  return useQuery({
    queryKey: DEVICES_QUERY_KEY,
    queryFn: ({ signal }) => hubApi.deviceList({}, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

/** One device from the live list: detail views follow realtime changes without another request. */
export function useDevice(id: string | null): DeviceView | undefined {
  const { data } = useDevices();
  if (!id || !data) return undefined;
  return data.find((d) => d.id === id);
}
