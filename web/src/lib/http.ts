import { createHubClient } from '@commune-hub/protocol/client';

/**
 * The dashboard's REST client: protocol's typed client on the page's own origin. Reads need no token.
 * A failed call throws `HubApiError` (from @commune-hub/protocol) carrying the hub's HUB_ERR_* code.
 */
export const hubApi = createHubClient();
