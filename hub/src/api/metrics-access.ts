import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * /metrics is opt-in (finding 1 listed it among the open reads): `loopback` lets a Prometheus on the same
 * machine scrape it (and anyone with HUB_METRICS_TOKEN), `token` needs the bearer token, `off` hides it.
 * The address is the socket's, never X-Forwarded-For: a reverse proxy on the same machine IS loopback, so
 * behind one either use `token` or do not forward /metrics (README "Security").
 */
export function checkMetricsAccess(
  config: { metricsAccess: 'loopback' | 'token' | 'off'; metricsToken: string },
  request: FastifyRequest,
): void {
  if (config.metricsAccess === 'off') throw new HubError('HUB_ERR_NOT_FOUND', 'no route GET /metrics');
  if (tokenMatches(request.headers.authorization, config.metricsToken)) return;
  if (config.metricsAccess === 'loopback' && LOOPBACK.has(request.socket.remoteAddress ?? '')) return;
  throw new HubError(
    'HUB_ERR_UNAUTHORIZED',
    config.metricsAccess === 'loopback'
      ? '/metrics answers on loopback only, or with Authorization: Bearer <HUB_METRICS_TOKEN>'
      : '/metrics needs Authorization: Bearer <HUB_METRICS_TOKEN>',
  );
}
