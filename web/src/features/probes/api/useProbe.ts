import type { ProbeTarget, ProbeTargetView } from '@commune-hub/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hubApi } from '../../../lib/http.ts';

// Probe targets are admin-only (read and write): the signed-in session's client, cookie + CSRF token.
const client = () => hubApi;

/** A child's probe target (without credentials). 404 (none yet) reads as null. */
export function useProbe(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['probe', id],
    enabled,
    retry: false,
    queryFn: async (): Promise<ProbeTargetView | null> => {
      try {
        return await client().deviceProbeGet({ params: { id } });
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
  });
}

export function useSetProbe(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (target: ProbeTarget) => client().deviceProbeSet({ params: { id }, body: target }),
    onSuccess: (view) => queryClient.setQueryData(['probe', id], view),
  });
}
