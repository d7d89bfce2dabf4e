import type { HubClient } from '@commune-hub/protocol/client';
import { hubApi } from '../../../lib/http.ts';
import { useSession } from '../../auth/index.ts';

/**
 * The one place device management learns who may write: the signed-in session. Its cookie rides on every
 * request by itself and lib/http adds the session's CSRF token to writes, so the admin client is the
 * dashboard's own client; the hub still checks the role (and the commune scope) of every call.
 */
export function adminClient(): HubClient {
  return hubApi;
}

/** Whether the signed-in user may manage devices (role `admin`); other roles see the list read-only. */
export function useAdminAccess() {
  const session = useSession();
  const role = session.data?.user.role;
  return { hasAccess: role === 'admin', role };
}
