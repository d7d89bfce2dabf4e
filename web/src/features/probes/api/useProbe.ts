import { createHubClient, type ProbeTarget, type ProbeTargetView } from '@commune-hub/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

const TOKEN_KEY = 'commune-hub-admin-token';

/** The admin token for writes, kept for the browser tab only (sessionStorage), never in the URL. */
export function adminToken(): string {
  return typeof sessionStorage === 'undefined' ? '' : (sessionStorage.getItem(TOKEN_KEY) ?? '');
}
export function setAdminToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

const client = () => createHubClient({ token: adminToken() });

/** A child's probe target (without credentials). 404 (none yet) reads as null. */
export function useProbe(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['probe', id, adminToken() !== ''],
    enabled: enabled && adminToken() !== '',
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
    onSuccess: (view) => queryClient.setQueryData(['probe', id, true], view),
  });
}
