import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  ApiTokenCreated,
  RouteAuth,
  UserCreate,
  UserCreated,
  UserRole,
  UserUpdate,
  UserView,
} from '@commune-hub/protocol';
import type { Clock } from '../clock.ts';
import { HubError } from '../errors.ts';
import type { EventBus } from '../events/bus.ts';
import type { Places } from '../registry/places.ts';
import { DEFAULT_LOCKOUT, Lockout, type LockoutPolicy } from './lockout.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import { Scope } from './scope.ts';
import { type AuthStore, randomSecret, sha256, type UserRecord, userExists, userView } from './store.ts';

const RANK: Record<RouteAuth, number> = { public: 0, viewer: 1, operator: 2, admin: 3 };

/** Whether `role` may call a route that needs `needed`. */
export const roleAllows = (role: UserRole, needed: RouteAuth): boolean => RANK[role] >= RANK[needed];

export interface Principal {
  user: UserRecord;
  /** `bootstrap`: HUB_ADMIN_TOKEN, which may only create the first admin. */
  via: 'session' | 'token' | 'bootstrap';
  csrfToken: string | null;
  expiresAt: number | null;
}

export interface AuthCounters {
  loginFailure(reason: 'bad_credentials' | 'locked_out' | 'disabled'): void;
  lockout(by: 'user' | 'address'): void;
  denied(reason: 'unauthenticated' | 'role' | 'csrf' | 'origin'): void;
}

export interface AuthDeps {
  store: AuthStore;
  places: () => Places;
  clock: Clock;
  /** HUB_ADMIN_TOKEN: accepted only to create the first admin. */
  bootstrapToken: string;
  sessionTtlMs: number;
  counters: AuthCounters;
  lockout?: LockoutPolicy;
  /** Where changes of a user's access are announced (`user.changed`, `session.revoked`): open sockets follow. */
  events?: Pick<EventBus, 'emit'>;
}

const BOOTSTRAP_USER: UserRecord = {
  id: 'bootstrap',
  username: 'HUB_ADMIN_TOKEN',
  displayName: 'HUB_ADMIN_TOKEN',
  role: 'admin',
  province: true,
  communeIds: [],
  passwordHash: '',
  disabled: false,
  createdAt: 0,
  lastLoginAt: null,
};

/**
 * Users, sign-in with lockout, sessions, personal API tokens, and who a request is. Knows nothing of
 * HTTP: the auth plugin and define-route call it with what they read from headers and cookies.
 */
export class AuthService {
  private readonly lockout: Lockout;
  private readonly bootstrapDigest: Buffer;
  /** Token last-used stamps are written at most once a minute per token, not on every read. */
  private readonly touched = new Map<string, number>();

  constructor(private readonly deps: AuthDeps) {
    this.lockout = new Lockout(deps.store, deps.clock, deps.lockout ?? DEFAULT_LOCKOUT);
    this.bootstrapDigest = createHash('sha256').update(deps.bootstrapToken).digest();
  }

  get counters(): AuthCounters {
    return this.deps.counters;
  }

  get store(): AuthStore {
    return this.deps.store;
  }

  scopeOf(user: UserRecord): Scope {
    return user.province ? Scope.all() : Scope.of(user.communeIds, this.deps.places());
  }

  /**
   * Who presents this bearer token or session cookie, or null. Asks the store each time (no cache), so a
   * logout, revoke or disable made on any node of a cluster holds for the very next request.
   */
  async resolve(credentials: { bearer?: string; sessionId?: string }): Promise<Principal | null> {
    const { store, clock } = this.deps;
    if (credentials.bearer) {
      const found = await store.tokenBySecret(credentials.bearer);
      if (found) {
        const user = await store.user(found.userId);
        if (!user || user.disabled) return null;
        const now = clock.now();
        if (now - (this.touched.get(found.id) ?? 0) > 60_000) {
          this.touched.set(found.id, now);
          await store.touchToken(found.id, now);
        }
        return { user, via: 'token', csrfToken: null, expiresAt: null };
      }
      const digest = createHash('sha256').update(credentials.bearer).digest();
      if (timingSafeEqual(digest, this.bootstrapDigest) && !(await store.hasActiveAdmin())) {
        return { user: BOOTSTRAP_USER, via: 'bootstrap', csrfToken: null, expiresAt: null };
      }
      return null;
    }
    if (credentials.sessionId) {
      const session = await store.session(sha256(credentials.sessionId));
      if (!session) return null;
      if (session.expiresAt <= clock.now()) {
        await store.deleteSession(sha256(credentials.sessionId));
        return null;
      }
      const user = await store.user(session.userId);
      if (!user || user.disabled) return null;
      return { user, via: 'session', csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    }
    return null;
  }

  /**
   * Checks a name and password. Locked names and addresses are refused before hashing (429 with the
   * wait); an unknown name costs the same scrypt as a wrong password and gets the same answer.
   */
  async login(
    username: string,
    password: string,
    ip: string,
  ): Promise<{ sessionId: string; principal: Principal }> {
    const { store, clock, counters } = this.deps;
    const keys = { user: `user:${username.toLowerCase()}`, address: `ip:${ip}` } as const;
    const waits = await Promise.all([
      this.lockout.retryAfterMs(keys.user),
      this.lockout.retryAfterMs(keys.address),
    ]);
    const wait = Math.max(...waits);
    if (wait > 0) {
      counters.loginFailure('locked_out');
      const err = new HubError(
        'HUB_ERR_LOCKED_OUT',
        `too many failed sign-ins: try again in ${Math.ceil(wait / 1000)} s`,
      );
      (err as HubError & { retryAfterS?: number }).retryAfterS = Math.ceil(wait / 1000);
      throw err;
    }
    const user = await store.userByName(username.toLowerCase());
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      counters.loginFailure(user?.disabled && ok ? 'disabled' : 'bad_credentials');
      if (await this.lockout.fail(keys.user)) counters.lockout('user');
      if (await this.lockout.fail(keys.address)) counters.lockout('address');
      throw new HubError('HUB_ERR_BAD_CREDENTIALS', 'wrong user name or password');
    }
    await this.lockout.succeed(keys.user);
    const now = clock.now();
    const sessionId = randomSecret();
    const csrfToken = randomSecret();
    const expiresAt = now + this.deps.sessionTtlMs;
    await store.pruneSessions(now);
    await store.insertSession(sha256(sessionId), {
      userId: user.id,
      csrfToken,
      expiresAt,
      createdAt: now,
      ip,
    });
    await store.touchLogin(user.id, now);
    return { sessionId, principal: { user, via: 'session', csrfToken, expiresAt } };
  }

  async logout(sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    const { store, events, clock } = this.deps;
    const session = await store.session(sha256(sessionId));
    await store.deleteSession(sha256(sessionId));
    if (session) events?.emit('session.revoked', { userId: session.userId, at: clock.now(), via: 'session' });
  }

  /** CSRF check of a browser session's write: the header must equal the session's token. */
  csrfMatches(principal: Principal, header: string | undefined): boolean {
    if (principal.via !== 'session') return true;
    if (!header || !principal.csrfToken) return false;
    const a = Buffer.from(header);
    const b = Buffer.from(principal.csrfToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  // ---- users
  async users(): Promise<UserView[]> {
    return (await this.deps.store.users()).map(userView);
  }

  private checkCommunes(ids: readonly string[]): void {
    const places = this.deps.places();
    const unknown = ids.filter((id) => !places.commune(id));
    if (unknown.length > 0) throw new HubError('HUB_ERR_NOT_FOUND', `no commune ${unknown.join(', ')}`);
  }

  async createUser(input: UserCreate, by: Principal): Promise<UserCreated> {
    const { store, clock } = this.deps;
    if (by.via === 'bootstrap' && input.role !== 'admin') {
      throw new HubError('HUB_ERR_FORBIDDEN', 'HUB_ADMIN_TOKEN only creates the first admin');
    }
    const username = input.username.toLowerCase();
    if (await store.userByName(username)) throw userExists(username);
    const communeIds = [...new Set(input.communeIds ?? [])];
    this.checkCommunes(communeIds);
    const province = input.province ?? false;
    if (!province && communeIds.length === 0) {
      throw new HubError(
        'HUB_ERR_VALIDATION',
        'name the communes the user may see (communeIds), or province: true',
      );
    }
    const user = await store.insertUser({
      username,
      displayName: input.displayName ?? username,
      role: input.role,
      province,
      communeIds,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdAt: clock.now(),
    });
    const apiToken = input.apiTokenName ? await this.createToken(user.id, input.apiTokenName) : undefined;
    return { user: userView(user), ...(apiToken && { apiToken }) };
  }

  /** Users outside the caller's scope are not found: a commune admin manages only its own communes' users. */
  private async visibleUser(id: string, by: Principal): Promise<UserRecord> {
    const user = await this.deps.store.user(id);
    const scope = this.scopeOf(by.user);
    const visible =
      user && (scope.isAll || (!user.province && user.communeIds.every((c) => scope.allowsCommune(c))));
    if (!user || !visible) throw new HubError('HUB_ERR_NOT_FOUND', `no user ${id}`);
    return user;
  }

  async updateUser(id: string, patch: UserUpdate, by: Principal): Promise<UserView> {
    const user = await this.visibleUser(id, by);
    if (patch.communeIds) this.checkCommunes(patch.communeIds);
    const next: UserRecord = {
      ...user,
      ...(patch.displayName !== undefined && { displayName: patch.displayName }),
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.province !== undefined && { province: patch.province }),
      ...(patch.communeIds !== undefined && { communeIds: [...new Set(patch.communeIds)] }),
      ...(patch.disabled !== undefined && { disabled: patch.disabled }),
      ...(patch.password !== undefined && { passwordHash: await hashPassword(patch.password) }),
    };
    if (!next.province && next.communeIds.length === 0) {
      throw new HubError('HUB_ERR_VALIDATION', 'a user needs communeIds or province: true');
    }
    await this.deps.store.updateUser(next);
    // A new password, a disable or a narrower role ends the sessions that were opened with the old one.
    if (patch.password !== undefined || patch.disabled || patch.role !== undefined) {
      await this.deps.store.deleteSessionsOf(id);
    }
    this.deps.events?.emit('user.changed', { userId: id, at: this.deps.clock.now(), removed: false });
    return userView(next);
  }

  async deleteUser(id: string, by: Principal): Promise<void> {
    await this.visibleUser(id, by);
    if (id === by.user.id) throw new HubError('HUB_ERR_VALIDATION', 'you cannot remove yourself');
    await this.deps.store.deleteUser(id);
    this.deps.events?.emit('user.changed', { userId: id, at: this.deps.clock.now(), removed: true });
  }

  // ---- personal API tokens
  async createToken(userId: string, name: string): Promise<ApiTokenCreated> {
    const secret = `chub_${randomSecret()}`;
    const info = await this.deps.store.insertToken(userId, name, secret, this.deps.clock.now());
    return { token: secret, info };
  }

  /** Test support and the first-admin CLI: a token whose secret is given (must be long and random). */
  async importToken(userId: string, name: string, secret: string): Promise<void> {
    if (secret.length < 16) throw new HubError('HUB_ERR_VALIDATION', 'a token needs at least 16 characters');
    await this.deps.store.insertToken(userId, name, secret, this.deps.clock.now());
  }

  async revokeToken(id: string, by: Principal): Promise<void> {
    const token = await this.deps.store.token(id);
    if (!token || (by.user.role !== 'admin' && token.userId !== by.user.id)) {
      throw new HubError('HUB_ERR_NOT_FOUND', `no token ${id}`);
    }
    if (by.user.role === 'admin' && token.userId !== by.user.id) await this.visibleUser(token.userId, by);
    await this.deps.store.revokeToken(id, this.deps.clock.now());
    this.deps.events?.emit('session.revoked', {
      userId: token.userId,
      at: this.deps.clock.now(),
      via: 'token',
    });
  }
}
