import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Alert } from '@commune-hub/protocol';

/** What a socket's caller may see: their communes' devices and alerts (hub/src/auth/scope.ts behind it). */
export interface SocketScope {
  /** The user behind the socket: when their access changes, their sockets are checked again. */
  readonly userId: string;
  /** When the session the socket opened with ends (null: an API token, no end). */
  readonly expiresAt: number | null;
  /** What the socket may see (province, or which communes): a re-check re-sends a snapshot when it changed. */
  readonly key: string;
  readonly isAll: boolean;
  allowsVillage(villageId: string): boolean;
  allowsAlert(alert: Pick<Alert, 'villageId' | 'devices'>): boolean;
}

/** Who may open the live socket; built by the realtime plugin from the auth service. */
export interface SocketAccess {
  /** The handshake's Origin is the hub's own (or allowed); no Origin (a script, not a browser) passes to auth. */
  originAllowed(request: IncomingMessage): boolean;
  /** The caller's scope from the session cookie, `Authorization: Bearer` or `auth: { token }`; null refuses. */
  authenticate(
    headers: IncomingHttpHeaders,
    auth: Record<string, unknown>,
    /** A socket already open, checked again: a refusal closes it and is not counted as a denied sign-in. */
    recheck?: boolean,
  ): SocketScope | null | Promise<SocketScope | null>;
}

/**
 * Origin check of a browser's handshake: the hub's own origin as the browser reached it (Host, and the
 * scheme of the connection or a proxy's X-Forwarded-Proto), HUB_PUBLIC_URL's, or one of HUB_ALLOWED_ORIGINS.
 */
export function originChecker(
  allowed: readonly string[],
): (headers: IncomingHttpHeaders, secure: boolean) => boolean {
  const list = new Set(allowed.map((o) => o.trim().replace(/\/$/, '').toLowerCase()).filter(Boolean));
  return (headers, secure) => {
    const origin = headers.origin?.toLowerCase();
    if (origin === undefined) return true;
    if (list.has(origin)) return true;
    const host = headers.host?.toLowerCase();
    if (!host) return false;
    const forwarded = String(headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim();
    const schemes = forwarded ? [forwarded] : secure ? ['https'] : ['http'];
    return schemes.some((scheme) => origin === `${scheme}://${host}`);
  };
}
