// The auth store (users, sessions, API tokens, audit log, sign-in failure counts) on SQLite and PostgreSQL:
// the same answers from both, what a restart keeps, and on PostgreSQL what a second node sees at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lockout } from '../../auth/lockout.ts';
import { type AuthStore, SqliteAuthStore, sha256, type UserRecord } from '../../auth/store.ts';
import { PostgresAuthStore } from '../../auth/store-postgres.ts';
import type { Registry } from '../../registry/registry.ts';
import { DIALECTS, openStorage, type StorageHarness } from './harness.ts';

const storeOf = (registry: Registry): AuthStore =>
  registry.postgresPool
    ? new PostgresAuthStore(registry.postgresPool)
    : new SqliteAuthStore(registry.database);

const lan = (at = 1_000): Omit<UserRecord, 'id' | 'lastLoginAt'> => ({
  username: 'lan',
  displayName: 'Nguyễn Thị Lan',
  role: 'operator',
  province: false,
  communeIds: ['c1', 'c2'],
  passwordHash: 'scrypt$x',
  disabled: false,
  createdAt: at,
});

const audit = (at: number, username: string | null) => ({
  at,
  userId: null,
  username,
  via: 'token',
  method: 'POST',
  route: 'deviceCreate',
  path: '/api/devices',
  status: 201,
  ip: '127.0.0.1',
});

describe.each(DIALECTS)('auth store contract: %s', (dialect) => {
  let h: StorageHarness;
  let store: AuthStore;
  beforeEach(async () => {
    h = await openStorage(dialect);
    store = storeOf(h.registry);
  });
  afterEach(async () => {
    await h.close();
  });

  it('keeps users with their roles and communes, refuses a taken name, and removes a user with what is theirs', async () => {
    const user = await store.insertUser(lan());
    expect(user).toMatchObject({
      username: 'lan',
      role: 'operator',
      communeIds: ['c1', 'c2'],
      province: false,
    });
    await expect(store.insertUser(lan())).rejects.toMatchObject({ code: 'HUB_ERR_EXISTS' });
    expect(await store.hasActiveAdmin()).toBe(false);
    const admin = await store.insertUser({
      ...lan(),
      username: 'admin',
      role: 'admin',
      province: true,
      communeIds: [],
    });
    expect(await store.hasActiveAdmin()).toBe(true);
    await store.updateUser({ ...admin, disabled: true });
    expect(await store.hasActiveAdmin()).toBe(false);
    await store.updateUser({ ...user, displayName: 'Lan', communeIds: ['c3'] });
    await store.touchLogin(user.id, 5_000);
    expect(await store.userByName('lan')).toMatchObject({
      displayName: 'Lan',
      communeIds: ['c3'],
      lastLoginAt: 5_000,
    });
    expect((await store.users()).map((u) => u.username)).toEqual(['admin', 'lan']);

    await store.insertSession(sha256('s'), {
      userId: user.id,
      csrfToken: 'c',
      expiresAt: 9_000,
      createdAt: 1,
      ip: 'x',
    });
    await store.insertToken(user.id, 'script', 'chub_secret_of_lan_0000', 2_000);
    expect(await store.deleteUser(user.id)).toBe(true);
    expect(await store.deleteUser(user.id)).toBe(false);
    expect(await store.session(sha256('s'))).toBeUndefined();
    expect(await store.tokenBySecret('chub_secret_of_lan_0000')).toBeUndefined();
  });

  it('finds a session by its hash until deleted or pruned, and keeps it across a restart', async () => {
    const user = await store.insertUser(lan());
    await store.insertSession(sha256('a'), {
      userId: user.id,
      csrfToken: 'ca',
      expiresAt: 10_000,
      createdAt: 1,
      ip: 'x',
    });
    await store.insertSession(sha256('b'), {
      userId: user.id,
      csrfToken: 'cb',
      expiresAt: 20_000,
      createdAt: 1,
      ip: 'x',
    });
    expect(await store.session(sha256('a'))).toEqual({ userId: user.id, csrfToken: 'ca', expiresAt: 10_000 });
    await store.pruneSessions(10_000);
    expect(await store.session(sha256('a'))).toBeUndefined();
    store = storeOf(await h.reopen());
    expect(await store.session(sha256('b'))).toEqual({ userId: user.id, csrfToken: 'cb', expiresAt: 20_000 });
    await store.deleteSessionsOf(user.id);
    expect(await store.session(sha256('b'))).toBeUndefined();
  });

  it('answers a token by its secret until revoked; lists tokens without their secret', async () => {
    const user = await store.insertUser(lan());
    const info = await store.insertToken(user.id, 'script', 'chub_abcdefgh_rest_of_it', 2_000);
    expect(info).toMatchObject({ name: 'script', userId: user.id, prefix: 'chub_abc', revokedAt: null });
    expect(await store.tokenBySecret('chub_abcdefgh_rest_of_it')).toEqual({ id: info.id, userId: user.id });
    await store.touchToken(info.id, 3_000);
    expect((await store.token(info.id))!.lastUsedAt).toBe(new Date(3_000).toISOString());
    expect((await store.tokens(user.id)).map((t) => t.id)).toEqual([info.id]);
    expect(JSON.stringify(await store.tokens())).not.toContain('rest_of_it');
    await store.revokeToken(info.id, 4_000);
    await store.revokeToken(info.id, 5_000);
    expect(await store.tokenBySecret('chub_abcdefgh_rest_of_it')).toBeUndefined();
    expect((await store.token(info.id))!.revokedAt).toBe(new Date(4_000).toISOString());
  });

  it('pages the audit log newest first, by user', async () => {
    for (let i = 0; i < 5; i++) await store.insertAudit(audit(1_000 + i, i % 2 === 0 ? 'lan' : 'minh'));
    const first = await store.audit({ limit: 2 });
    expect(first.map((e) => e.at)).toEqual([new Date(1_004).toISOString(), new Date(1_003).toISOString()]);
    const next = await store.audit({ limit: 10, before: first[1]!.id });
    expect(next.map((e) => e.at)).toEqual([1_002, 1_001, 1_000].map((t) => new Date(t).toISOString()));
    expect((await store.audit({ limit: 10, username: 'lan' })).length).toBe(3);
    expect(first[0]).toMatchObject({ route: 'deviceCreate', status: 201, via: 'token', userId: null });
  });

  it('counts sign-in failures atomically and keeps them across a restart', async () => {
    const policy = { freeAttempts: 3, baseLockMs: 1_000, maxLockMs: 8_000, forgetMs: 60_000 };
    const clock = { now: () => 100 };
    // Ten failures at once: every one is counted (no lost update).
    await Promise.all(Array.from({ length: 10 }, () => store.addFailure('ip:10.0.0.9', 100, 60_000)));
    expect(await store.failures('ip:10.0.0.9')).toEqual({ failures: 10, lastFailure: 100 });
    const lockout = new Lockout(storeOf(await h.reopen()), clock, policy);
    expect(await lockout.retryAfterMs('ip:10.0.0.9')).toBe(8_000);
    store = storeOf(h.registry);
    expect(await store.addFailure('ip:10.0.0.9', 70_000, 60_000)).toEqual({
      failures: 1,
      lastFailure: 70_000,
    });
    await store.pruneFailures(70_001);
    expect(await store.failures('ip:10.0.0.9')).toBeUndefined();
    await store.addFailure('user:lan', 1, 60_000);
    await store.clearFailures('user:lan');
    expect(await store.failures('user:lan')).toBeUndefined();
  });

  it.runIf(dialect === 'postgres')(
    'a second node sees sessions, revokes, audit and failures at once',
    async () => {
      const other = storeOf(await h.another());
      const user = await store.insertUser(lan());
      await store.insertSession(sha256('a'), {
        userId: user.id,
        csrfToken: 'ca',
        expiresAt: 10_000,
        createdAt: 1,
        ip: 'x',
      });
      const token = await store.insertToken(user.id, 'script', 'chub_shared_between_nodes', 2_000);
      expect(await other.session(sha256('a'))).toMatchObject({ userId: user.id });
      expect(await other.tokenBySecret('chub_shared_between_nodes')).toEqual({
        id: token.id,
        userId: user.id,
      });
      await other.deleteSession(sha256('a'));
      await other.revokeToken(token.id, 3_000);
      expect(await store.session(sha256('a'))).toBeUndefined();
      expect(await store.tokenBySecret('chub_shared_between_nodes')).toBeUndefined();
      await other.insertAudit(audit(5_000, 'lan'));
      expect((await store.audit({ limit: 1 }))[0]).toMatchObject({ username: 'lan' });
      await Promise.all([
        ...Array.from({ length: 5 }, () => store.addFailure('user:lan', 100, 60_000)),
        ...Array.from({ length: 5 }, () => other.addFailure('user:lan', 100, 60_000)),
      ]);
      expect(await store.failures('user:lan')).toEqual({ failures: 10, lastFailure: 100 });
      // Two nodes creating the first admin at once: one wins, the other is told the name exists.
      const results = await Promise.allSettled([
        store.insertUser({ ...lan(), username: 'admin' }),
        other.insertUser({ ...lan(), username: 'admin' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    },
  );
});
