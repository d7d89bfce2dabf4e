/**
 * The admin token the official types once on this device (until users and roles land); every page that
 * writes (alerts, criteria) reads the same one, so it is typed once for the whole dashboard.
 */
const TOKEN_KEY = 'hub.adminToken';

export function getAdminToken(): string {
  try {
    return window.localStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setAdminToken(token: string): void {
  try {
    if (token.trim()) window.localStorage.setItem(TOKEN_KEY, token.trim());
    else window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (private mode): the caller keeps the token for this page view.
  }
}
