import { createHubClient, type HubClient } from '@commune-hub/protocol/client';
import { useCallback, useMemo, useState } from 'react';

/**
 * The admin token for writes (until users and roles land): asked once, kept in sessionStorage so it
 * lives only as long as the browser tab, never in the URL or localStorage.
 */
const TOKEN_KEY = 'commune-hub.adminToken';

function readToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function useAdminToken() {
  const [token, setTokenState] = useState<string | null>(readToken);
  const setToken = useCallback((next: string | null) => {
    try {
      if (next) sessionStorage.setItem(TOKEN_KEY, next);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Storage refused (private mode): the token still works for this page view.
    }
    setTokenState(next);
  }, []);
  return { token, setToken };
}

/** The typed client with the admin token, for writes; null until a token is given. */
export function useAdminClient(token: string | null): HubClient | null {
  return useMemo(() => (token ? createHubClient({ token }) : null), [token]);
}

/** The official's name, remembered for the tab so every form does not ask it again. */
const NAME_KEY = 'commune-hub.enteredBy';
export function rememberedName(): string {
  try {
    return sessionStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}
export function rememberName(name: string): void {
  try {
    sessionStorage.setItem(NAME_KEY, name);
  } catch {}
}
