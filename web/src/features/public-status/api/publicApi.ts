import type { PublicReportInput } from '@commune-hub/protocol';
import { useMutation, useQuery } from '@tanstack/react-query';
import { hubApi } from '../../../lib/http.ts';

/**
 * The public pages read through protocol's typed client, with no token: the hub answers only what a
 * published group shows. Refreshed every 30 s so a repaired wifi point turns green on an open phone.
 */
const REFRESH_MS = 30_000;

export function usePublicGroup(group: string) {
  return useQuery({
    queryKey: ['public-status', group],
    queryFn: ({ signal }) => hubApi.publicStatusGroup({ params: { group } }, { signal }),
    refetchInterval: REFRESH_MS,
    retry: (count, err) => (err as { status?: number }).status !== 404 && count < 2,
  });
}

export function usePublicDevice(group: string, token: string) {
  return useQuery({
    queryKey: ['public-status', group, token],
    queryFn: ({ signal }) => hubApi.publicStatusDevice({ params: { group, token } }, { signal }),
    refetchInterval: REFRESH_MS,
    retry: (count, err) => (err as { status?: number }).status !== 404 && count < 2,
  });
}

export function useSendReport(group: string) {
  return useMutation({
    mutationFn: (body: PublicReportInput) => hubApi.publicReportCreate({ params: { group }, body }),
  });
}
