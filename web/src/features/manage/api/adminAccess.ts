import { createHubClient, type HubClient } from '@commune-hub/protocol/client';
import { useCallback, useState } from 'react';
import { getAdminToken, setAdminToken } from '../../../lib/adminToken.ts';

/**
 * The one place device management learns who may write. Today: the admin token typed once on this
 * device (web/src/lib/adminToken.ts, shared with alerts and criteria), sent as a bearer header. When
 * users and roles land, this file alone changes: a session cookie rides on every request by itself, so
 * `adminClient()` becomes the plain client and `useAdminAccess` asks the session instead of a token.
 */
export function adminClient(): HubClient {
  return createHubClient({ token: getAdminToken() });
}

export function useAdminAccess() {
  const [token, setTokenState] = useState(getAdminToken);
  const setToken = useCallback((next: string) => {
    setAdminToken(next);
    setTokenState(next.trim());
  }, []);
  return { hasAccess: token !== '', token, setToken };
}
