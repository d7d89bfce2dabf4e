import type { SessionView } from '@commune-hub/protocol';
import { HubApiError } from '@commune-hub/protocol/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { hubApi, setCsrfToken } from '../../../lib/http.ts';

const SESSION_KEY = ['session'] as const;

/** Who is signed in (GET /api/session/me); `null` when nobody is (401). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async ({ signal }): Promise<SessionView | null> => {
      try {
        const me = await hubApi.sessionMe(undefined, { signal });
        setCsrfToken(me.csrfToken);
        return me;
      } catch (err) {
        if (err instanceof HubApiError && err.status === 401) return null;
        throw err;
      }
    },
    retry: (count, err) => !(err instanceof HubApiError && err.status < 500) && count < 2,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return async (username: string, password: string): Promise<void> => {
    const session = await hubApi.sessionCreate({ body: { username, password } });
    setCsrfToken(session.csrfToken);
    queryClient.setQueryData(SESSION_KEY, session);
  };
}

/** Ends the session, then reloads: the socket, caches and every page state belong to the user who left. */
export async function signOut(): Promise<void> {
  await hubApi.sessionDelete().catch(() => {});
  setCsrfToken(null);
  window.location.assign('/');
}
