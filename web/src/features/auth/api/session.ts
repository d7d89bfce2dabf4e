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

/** Set across the reload that follows an ended session, so the sign-in form says why it is shown. */
const ENDED_KEY = 'hub.sessionEnded';

/**
 * The hub closed or refused the live socket: when the session is gone (GET /api/session/me answers 401:
 * expired, signed out elsewhere, user disabled or removed) the page reloads onto the sign-in form, which
 * then says the session ended; the address is kept, so signing in again opens the same view, and the
 * reload drops every cache of the user who was signed in. Any other answer (the hub restarting, no
 * network) leaves the socket to reconnect and the badge to say so.
 */
let checking: Promise<void> | null = null;
export function checkSessionEnded(): Promise<void> {
  // A closed socket reconnects and is refused again at once: one check answers both.
  checking ??= askSession().finally(() => {
    checking = null;
  });
  return checking;
}

async function askSession(): Promise<void> {
  try {
    await hubApi.sessionMe();
  } catch (err) {
    if (!(err instanceof HubApiError && err.status === 401)) return;
    try {
      window.sessionStorage.setItem(ENDED_KEY, '1');
    } catch {
      // Storage refused (private mode): the form still shows, without the notice.
    }
    setCsrfToken(null);
    window.location.reload();
  }
}

/** Whether the sign-in form follows an ended session; `clear` forgets it (once the form has shown it). */
export function sessionEndedNotice(clear = false): boolean {
  try {
    const ended = window.sessionStorage.getItem(ENDED_KEY) === '1';
    if (clear) window.sessionStorage.removeItem(ENDED_KEY);
    return ended;
  } catch {
    return false;
  }
}
