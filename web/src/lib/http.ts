import { createHubClient } from '@commune-hub/protocol/client';

/** The signed-in session's CSRF token (from sign-in or /api/session/me), sent on every write. */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * The dashboard's REST client: protocol's typed client on the page's own origin. The session cookie
 * (httpOnly) goes with every call; writes also carry the session's CSRF token (web/src/features/auth).
 * A failed call throws `HubApiError` (from @commune-hub/protocol) carrying the hub's HUB_ERR_* code.
 */
export const hubApi = createHubClient({ csrfToken: () => csrfToken });
