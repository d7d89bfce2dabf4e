import type { FastifyInstance } from 'fastify';
import { hashPassword } from './passwords.ts';

export interface FirstAdmin {
  username: string;
  password: string;
  /** Also make this string a personal API token of the admin (scripts of a demo or a test). */
  token?: string;
  /** An admin of that name already there gets this password (the demo prints a fresh one each start). */
  resetPassword?: boolean;
}

/**
 * In-process, for `npm start` (scripts/demo.ts), the tests and the benchmarks: makes sure the hub has
 * this province-wide admin (created once, kept on restart) and, if given, this personal API token.
 * A deployed hub creates its first admin with `npm run users -- add` and HUB_ADMIN_TOKEN instead.
 */
export async function ensureFirstAdmin(
  app: FastifyInstance,
  admin: FirstAdmin,
): Promise<{ created: boolean; userId: string }> {
  const { store } = app.auth;
  let user = store.userByName(admin.username);
  const created = !user;
  if (!user) {
    user = store.insertUser({
      username: admin.username,
      displayName: admin.username,
      role: 'admin',
      province: true,
      communeIds: [],
      passwordHash: await hashPassword(admin.password),
      disabled: false,
      createdAt: app.clock.now(),
    });
  } else if (admin.resetPassword) {
    user = { ...user, passwordHash: await hashPassword(admin.password), disabled: false };
    store.updateUser(user);
  }
  const known = admin.token ? store.tokenBySecret(admin.token) : undefined;
  if (admin.token && !known) app.auth.importToken(user.id, 'first admin', admin.token);
  return { created, userId: user.id };
}
