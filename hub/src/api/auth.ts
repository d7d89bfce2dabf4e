import { routes, SESSION_COOKIE, type SessionView } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Principal } from '../auth/service.ts';
import { userView } from '../auth/store.ts';
import { HubError } from '../errors.ts';
import { credentialsOf } from '../plugins/auth.ts';
import { defineRoute } from './define-route.ts';

const sessionView = (p: Principal): SessionView => ({
  user: userView(p.user),
  via: p.via === 'session' ? 'session' : 'token',
  csrfToken: p.csrfToken,
  expiresAt: p.expiresAt === null ? null : new Date(p.expiresAt).toISOString(),
});

const signedIn = (p: Principal | null): Principal => {
  if (!p) throw new HubError('HUB_ERR_UNAUTHORIZED', 'not signed in');
  return p;
};

/** Sign-in and sign-out, users (admins), personal API tokens and the audit log. Policy lives in AuthService. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { auth } = app;

  defineRoute(app, routes.sessionCreate, async (request, reply) => {
    try {
      const { sessionId, principal } = await auth.login(
        request.body.username,
        request.body.password,
        request.ip,
      );
      reply.setCookie(SESSION_COOKIE, sessionId, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        maxAge: Math.floor(((principal.expiresAt ?? 0) - app.clock.now()) / 1000),
      });
      request.principal = principal;
      return sessionView(principal);
    } catch (err) {
      const retry = (err as { retryAfterS?: number }).retryAfterS;
      if (retry) reply.header('retry-after', String(retry));
      throw err;
    }
  });

  defineRoute(app, routes.sessionDelete, async (request, reply) => {
    await auth.logout(credentialsOf(request.headers).sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  defineRoute(app, routes.sessionMe, async (request) => sessionView(signedIn(request.principal)));

  defineRoute(app, routes.userList, async (request) => {
    const scope = request.scope;
    return (await auth.users()).filter(
      (u) => scope.isAll || (!u.province && u.communeIds.every((c) => scope.allowsCommune(c))),
    );
  });

  defineRoute(app, routes.userCreate, async (request, reply) => {
    const by = signedIn(request.principal);
    const body = request.body;
    // A commune admin adds users of its own communes only.
    if (
      !request.scope.isAll &&
      (body.province || (body.communeIds ?? []).some((c) => !request.scope.allowsCommune(c)))
    ) {
      throw new HubError('HUB_ERR_NOT_FOUND', 'no such commune in your scope');
    }
    const created = await auth.createUser(body, by);
    request.log.info(
      { username: created.user.username, role: created.user.role, by: by.user.username },
      'user created',
    );
    return reply.code(201).send(created);
  });

  defineRoute(app, routes.userUpdate, async (request) => {
    const by = signedIn(request.principal);
    const { communeIds, province } = request.body;
    if (
      !request.scope.isAll &&
      (province || (communeIds ?? []).some((c) => !request.scope.allowsCommune(c)))
    ) {
      throw new HubError('HUB_ERR_NOT_FOUND', 'no such commune in your scope');
    }
    return auth.updateUser(request.params.id, request.body, by);
  });

  defineRoute(app, routes.userDelete, async (request, reply) => {
    await auth.deleteUser(request.params.id, signedIn(request.principal));
    return reply.code(204).send();
  });

  defineRoute(app, routes.tokenList, async (request) => {
    const p = signedIn(request.principal);
    if (p.user.role !== 'admin') return auth.store.tokens(p.user.id);
    const visible = new Set(
      (await auth.users())
        .filter(
          (u) =>
            request.scope.isAll || (!u.province && u.communeIds.every((c) => request.scope.allowsCommune(c))),
        )
        .map((u) => u.id),
    );
    return (await auth.store.tokens()).filter((t) => visible.has(t.userId));
  });

  defineRoute(app, routes.tokenCreate, async (request, reply) => {
    const p = signedIn(request.principal);
    return reply.code(201).send(await auth.createToken(p.user.id, request.body.name));
  });

  defineRoute(app, routes.tokenRevoke, async (request, reply) => {
    await auth.revokeToken(request.params.id, signedIn(request.principal));
    return reply.code(204).send();
  });

  defineRoute(app, routes.auditList, async (request) => {
    const limit = request.query.limit ?? 100;
    const page = await auth.store.audit({ ...request.query, limit });
    const nextBefore = page.length === limit ? page[page.length - 1]!.id : null;
    if (request.scope.isAll) return { entries: page, nextBefore };
    // A commune admin reads the writes of the users of their own communes (a page may come out shorter).
    const mine = new Set(
      (await auth.users())
        .filter((u) => !u.province && u.communeIds.every((c) => request.scope.allowsCommune(c)))
        .map((u) => u.username),
    );
    return { entries: page.filter((e) => e.username !== null && mine.has(e.username)), nextBefore };
  });
};
