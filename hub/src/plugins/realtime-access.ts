import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { alertVisible } from '../auth/visibility.ts';
import { originChecker, type SocketAccess } from '../realtime/access.ts';
import { credentialsOf } from './auth.ts';

/**
 * The live socket's door: Origin checked against the hub's own origin, HUB_PUBLIC_URL and
 * HUB_ALLOWED_ORIGINS; the caller authenticated by session cookie or personal API token (as
 * `Authorization: Bearer`, or `auth: { token }` from socket.io-client); each socket keeps its caller's scope.
 */
export function socketAccess(app: FastifyInstance): SocketAccess {
  const { auth, registry, config } = app;
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : '';
  const originOk = originChecker([publicOrigin, ...config.allowedOrigins.split(',')]);
  return {
    originAllowed: (request) => {
      const ok = originOk(request.headers, (request.socket as TLSSocket).encrypted === true);
      if (!ok) auth.counters.denied('origin');
      return ok;
    },
    authenticate: async (headers, handshakeAuth, recheck) => {
      const token = typeof handshakeAuth.token === 'string' ? handshakeAuth.token : undefined;
      const principal = await auth.resolve(token ? { bearer: token } : credentialsOf(headers));
      if (!principal || principal.via === 'bootstrap') {
        if (!recheck) auth.counters.denied('unauthenticated');
        return null;
      }
      const scope = auth.scopeOf(principal.user);
      return {
        userId: principal.user.id,
        expiresAt: principal.expiresAt,
        key: principal.user.province ? '*' : [...principal.user.communeIds].sort().join(','),
        isAll: scope.isAll,
        allowsVillage: (villageId) => scope.allowsVillage(villageId),
        allowsAlert: (alert) => alertVisible(scope, alert, registry),
      };
    },
  };
}
