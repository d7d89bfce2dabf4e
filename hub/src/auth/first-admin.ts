import type { FastifyInstance } from 'fastify';
import { HubError } from '../errors.ts';
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
  let user = await store.userByName(admin.username);
  let created = false;
  if (!user) {
    const record = {
      username: admin.username,
      displayName: admin.username,
      role: 'admin' as const,
      province: true,
      communeIds: [],
      passwordHash: await hashPassword(admin.password),
      disabled: false,
      createdAt: app.clock.now(),
    };
    try {
      user = await store.insertUser(record);
      created = true;
    } catch (err) {
      // Another node of the cluster created it first (HUB_DB=postgres): theirs it is.
      if (!(err instanceof HubError && err.code === 'HUB_ERR_EXISTS')) throw err;
      user = (await store.userByName(admin.username))!;
    }
  } else if (admin.resetPassword) {
    user = { ...user, passwordHash: await hashPassword(admin.password), disabled: false };
    await store.updateUser(user);
  }
  const known = admin.token ? await store.tokenBySecret(admin.token) : undefined;
  if (admin.token && !known) {
    try {
      await app.auth.importToken(user.id, 'first admin', admin.token);
    } catch (err) {
      // The same token imported by another node at the same moment (token_hash is unique).
      if (!(await store.tokenBySecret(admin.token))) throw err;
    }
  }
  return { created, userId: user.id };
}
