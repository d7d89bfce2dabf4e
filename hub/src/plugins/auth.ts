import { CSRF_HEADER, type RouteAuth, type RouteName, routes, SESSION_COOKIE } from '@commune-hub/protocol';
import cookie, { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import client from 'prom-client';
import type { Scope } from '../auth/scope.ts';
import { AuthService, type Principal, roleAllows } from '../auth/service.ts';
import { SqliteAuthStore } from '../auth/store.ts';
import { PostgresAuthStore } from '../auth/store-postgres.ts';
import { HubError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Users, sessions, API tokens, lockout (hub/src/auth). */
    auth: AuthService;
    /** Refuses a request its route's role does not allow, before the body is read (define-route's onRequest). */
    authorize(
      request: FastifyRequest,
      reply: FastifyReply,
      needed: RouteAuth,
      route: RouteName,
    ): Promise<void>;
  }
  interface FastifyRequest {
    /** Who is calling (null: nobody signed in, on a public route). */
    principal: Principal | null;
    /** The communes the caller may see; every route filters with it (out of scope: 404). */
    scope: Scope;
    /** The route map name, for the audit log. */
    routeName: RouteName | null;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** What a request presents: a bearer token, or the session cookie. */
export function credentialsOf(headers: { authorization?: string; cookie?: string }): {
  bearer?: string;
  sessionId?: string;
} {
  const bearer = BEARER.exec(headers.authorization ?? '')?.[1];
  if (bearer) return { bearer };
  const sessionId = headers.cookie ? fastifyCookie.parse(headers.cookie)[SESSION_COOKIE] : undefined;
  return sessionId ? { sessionId } : {};
}

/**
 * Authentication and authorization for REST: who is calling (API token or session cookie), whether their
 * role may call the route, the CSRF token of a browser session's writes, and the caller's scope on the
 * request. Every write through a mapped route lands in the audit log (who, what, when, from where, status).
 */
export const authPlugin = fp(
  async (app) => {
    await app.register(cookie);
    const { metrics, clock, registry, config } = app;
    const loginFailures = new client.Counter({
      name: 'hub_auth_login_failures_total',
      help: 'Refused sign-ins, by reason (bad_credentials, locked_out, disabled)',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
    const lockouts = new client.Counter({
      name: 'hub_auth_lockouts_total',
      help: 'Sign-in locks started (backoff), by what was locked (user, address)',
      labelNames: ['by'] as const,
      registers: [metrics.registry],
    });
    const denied = new client.Counter({
      name: 'hub_auth_denied_total',
      help: 'Requests and sockets refused by auth, by reason (unauthenticated, role, csrf, origin)',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
    const auth = new AuthService({
      // HUB_DB=postgres: shared by every node (a session or token works on all); else the node's registry.db.
      store: registry.postgresPool
        ? new PostgresAuthStore(registry.postgresPool)
        : new SqliteAuthStore(registry.database),
      places: () => registry.places,
      clock,
      bootstrapToken: config.adminToken,
      sessionTtlMs: config.sessionTtlH * 3_600_000,
      events: app.events,
      counters: {
        loginFailure: (reason) => loginFailures.inc({ reason }),
        lockout: (by) => lockouts.inc({ by }),
        denied: (reason) => denied.inc({ reason }),
      },
    });
    app.decorate('auth', auth);
    app.decorateRequest('principal', null);
    app.decorateRequest('scope', null as unknown as Scope);
    app.decorateRequest('routeName', null);

    app.decorate(
      'authorize',
      async (request: FastifyRequest, _reply: FastifyReply, needed: RouteAuth, route: RouteName) => {
        request.routeName = route;
        const principal = await auth.resolve(credentialsOf(request.headers));
        // HUB_ADMIN_TOKEN creates the first admin and does nothing else.
        const usable = principal?.via === 'bootstrap' && route !== 'userCreate' ? null : principal;
        request.principal = usable;
        request.scope = usable ? auth.scopeOf(usable.user) : (null as unknown as Scope);
        if (needed === 'public') return;
        if (!usable) {
          denied.inc({ reason: 'unauthenticated' });
          throw new HubError(
            'HUB_ERR_UNAUTHORIZED',
            'sign in (POST /api/session) or send Authorization: Bearer <personal API token>',
          );
        }
        if (!roleAllows(usable.user.role, needed)) {
          denied.inc({ reason: 'role' });
          throw new HubError(
            'HUB_ERR_FORBIDDEN',
            `this needs the ${needed} role (you are ${usable.user.role})`,
          );
        }
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          const header = request.headers[CSRF_HEADER];
          if (!auth.csrfMatches(usable, Array.isArray(header) ? header[0] : header)) {
            denied.inc({ reason: 'csrf' });
            throw new HubError('HUB_ERR_CSRF', `a signed-in browser write needs the ${CSRF_HEADER} header`);
          }
        }
      },
    );

    // The audit log: every write through the route map, refused ones included (status says how it ended).
    app.addHook('onResponse', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD' || !request.routeName) return;
      const p = request.principal;
      // A citizen's anonymous public write (a problem report) is not audited: the public page promises
      // that the address is only counted in memory (hub/src/public-status/rate-limit.ts), never stored.
      if (!p && routes[request.routeName].auth === 'public' && request.routeName !== 'sessionCreate') return;
      const attempted =
        request.routeName === 'sessionCreate'
          ? ((request.body as { username?: unknown } | undefined)?.username ?? null)
          : null;
      try {
        await auth.store.insertAudit({
          at: clock.now(),
          userId: p && p.via !== 'bootstrap' ? p.user.id : null,
          username: p ? p.user.username : typeof attempted === 'string' ? attempted.slice(0, 64) : null,
          via: p?.via ?? (request.routeName === 'sessionCreate' ? 'password' : 'anonymous'),
          method: request.method,
          route: request.routeName,
          path: request.url.split('?')[0]!.slice(0, 500),
          status: reply.statusCode,
          ip: request.ip,
        });
      } catch (err) {
        request.log.error({ err }, 'audit log write failed');
      }
    });
  },
  { name: 'auth', dependencies: ['registry', 'events'] },
);

/** Route map names by spec, so define-route can name a route in the audit log. */
export const routeNameOf = new Map<unknown, RouteName>(
  Object.entries(routes).map(([name, spec]) => [spec, name as RouteName]),
);
