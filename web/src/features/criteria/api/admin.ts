import { createHubClient, type HubClient } from '@commune-hub/protocol/client';
import { useCallback, useMemo, useState } from 'react';
import { getAdminToken, setAdminToken } from '../../../lib/adminToken.ts';

/**
 * The admin token for writes (until users and roles land): the dashboard's one token, typed once on this
 * device and shared with the alerts page (web/src/lib/adminToken.ts).
 */
export function useAdminToken() {
  const [token, setTokenState] = useState<string | null>(() => getAdminToken() || null);
  const setToken = useCallback((next: string | null) => {
    setAdminToken(next ?? '');
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
