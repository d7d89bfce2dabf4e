import type { PublicReportInput } from '@commune-hub/protocol';
import { useMutation, useQuery } from '@tanstack/react-query';
import { hubApi } from '../../../lib/http.ts';

/**
 * The public pages read through protocol's typed client, with no token: the hub answers only what a
 * published group shows. Refreshed every 30 s so a repaired wifi point turns green on an open phone.
 */
const REFRESH_MS = 30_000;
/** A page that does not exist (404) or cannot (400) is not retried; a network error is, twice. */
const retry = (count: number, err: unknown) => {
  const status = (err as { status?: number }).status;
  return status !== 404 && status !== 400 && count < 2;
};

export function usePublicGroup(group: string) {
  return useQuery({
    queryKey: ['public-status', group],
    queryFn: ({ signal }) => hubApi.publicStatusGroup({ params: { group } }, { signal }),
    refetchInterval: REFRESH_MS,
    retry,
  });
}

export function usePublicDevice(group: string, token: string) {
  return useQuery({
    queryKey: ['public-status', group, token],
    queryFn: ({ signal }) => hubApi.publicStatusDevice({ params: { group, token } }, { signal }),
    refetchInterval: REFRESH_MS,
    retry,
  });
}

export function useSendReport(group: string) {
  return useMutation({
    mutationFn: (body: PublicReportInput) => hubApi.publicReportCreate({ params: { group }, body }),
  });
}
