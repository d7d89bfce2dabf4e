import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiTokenView, AuditEntry, UserRole, UserView } from '@commune-hub/protocol';
import type Database from 'better-sqlite3';
import { HubError } from '../errors.ts';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** 32 random bytes, URL-safe: session ids, CSRF tokens and API token secrets. */
export const randomSecret = () => randomBytes(32).toString('base64url');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  province: boolean;
  communeIds: string[];
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRole;
  /** SQLite: 0/1; PostgreSQL: a boolean. */
  province: number | boolean;
  /** SQLite: JSON text; PostgreSQL: JSONB, already parsed. */
  commune_ids: string | string[];
  password_hash: string;
  disabled: number | boolean;
  created_at: number;
  last_login_at: number | null;
}

export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  province: r.province === 1 || r.province === true,
  communeIds: typeof r.commune_ids === 'string' ? (JSON.parse(r.commune_ids) as string[]) : r.commune_ids,
  passwordHash: r.password_hash,
  disabled: r.disabled === 1 || r.disabled === true,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
});

export const userView = (u: UserRecord): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  province: u.province,
  communeIds: u.communeIds,
  disabled: u.disabled,
  createdAt: new Date(u.createdAt).toISOString(),
  lastLoginAt: iso(u.lastLoginAt),
});

export interface SessionRecord {
  userId: string;
  csrfToken: string;
  expiresAt: number;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export const tokenView = (r: TokenRow): ApiTokenView => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  prefix: r.prefix,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
});

export interface AuditRecord {
  at: number;
  userId: string | null;
  username: string | null;
  via: string;
  method: string;
  route: string;
  path: string;
  status: number;
  ip: string;
}

export interface AuditQuery {
  before?: number;
  limit: number;
  username?: string;
}

export type AuditRow = Omit<AuditEntry, 'at' | 'userId'> & { at: number; user_id: string | null };

export const auditEntry = (r: AuditRow): AuditEntry => ({
  id: Number(r.id),
  at: new Date(Number(r.at)).toISOString(),
  userId: r.user_id,
  username: r.username,
  via: r.via,
  method: r.method,
  route: r.route,
  path: r.path,
  status: r.status,
  ip: r.ip,
});

/** Failed sign-ins of one key, as stored: the lock is computed from them (./lockout.ts). */
export interface FailureCount {
  failures: number;
  lastFailure: number;
}

/** A user name already taken: the store's unique index said so (two nodes may race to create one). */
export const userExists = (username: string) => new HubError('HUB_ERR_EXISTS', `user ${username} exists`);

/**
 * Users, sessions, personal API tokens, the audit log and the sign-in failure counts: the SQL behind
 * ./service.ts, with no policy. Two implementations behind one async interface: `SqliteAuthStore`
 * (the node's `registry.db`) and `PostgresAuthStore` (./store-postgres.ts, HUB_DB=postgres: shared by
 * every node, so a session or token made on one node works on all). Nothing is cached: a logout, a
 * revoke or a disable is seen by the next request on every node.
 */
export interface AuthStore {
  readonly dialect: 'sqlite' | 'postgres';
  users(): Promise<UserRecord[]>;
  user(id: string): Promise<UserRecord | undefined>;
  userByName(username: string): Promise<UserRecord | undefined>;
  hasActiveAdmin(): Promise<boolean>;
  /** Throws HUB_ERR_EXISTS when the name is taken. */
  insertUser(u: Omit<UserRecord, 'id' | 'lastLoginAt'>): Promise<UserRecord>;
  updateUser(u: UserRecord): Promise<void>;
  /** Removes the user with its sessions and tokens; false when there was none. */
  deleteUser(id: string): Promise<boolean>;
  touchLogin(id: string, at: number): Promise<void>;

  insertSession(idHash: string, s: SessionRecord & { createdAt: number; ip: string }): Promise<void>;
  session(idHash: string): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsOf(userId: string): Promise<void>;
  pruneSessions(now: number): Promise<void>;

  insertToken(userId: string, name: string, secret: string, at: number): Promise<ApiTokenView>;
  token(id: string): Promise<ApiTokenView | undefined>;
  tokens(userId?: string): Promise<ApiTokenView[]>;
  /** The live token with this secret's hash: its id and user. */
  tokenBySecret(secret: string): Promise<{ id: string; userId: string } | undefined>;
  touchToken(id: string, at: number): Promise<void>;
  revokeToken(id: string, at: number): Promise<void>;

  insertAudit(e: AuditRecord): Promise<void>;
  /** Newest first, `before` an id (the next page). */
  audit(q: AuditQuery): Promise<AuditEntry[]>;

  /**
   * One more failed sign-in of `key` at `now`, counted from one again when the last was more than
   * `forgetMs` before; answers the count. Atomic: failures on several nodes at once are all counted.
   */
  addFailure(key: string, now: number, forgetMs: number): Promise<FailureCount>;
  failures(key: string): Promise<FailureCount | undefined>;
  clearFailures(key: string): Promise<void>;
  /** Forgets failure counts last touched before `before`. */
  pruneFailures(before: number): Promise<void>;
}

const isUnique = (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/** The auth tables of the node's `registry.db` (HUB_DB=sqlite). Synchronous underneath; async to match. */
export class SqliteAuthStore implements AuthStore {
  readonly dialect = 'sqlite' as const;
  constructor(private readonly db: Database.Database) {}

  // ---- users
  async users(): Promise<UserRecord[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
  }
  async user(id: string): Promise<UserRecord | undefined> {
    return this.userSync(id);
  }
  private userSync(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }
  async userByName(username: string): Promise<UserRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as
      | UserRow
      | undefined;
    return row && toUser(row);
  }
  async hasActiveAdmin(): Promise<boolean> {
    return (
      this.db.prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1").get() !== undefined
    );
  }
  async insertUser(u: Omit<UserRecord, 'id' | 'lastLoginAt'>): Promise<UserRecord> {
    const id = randomUUID();
    try {
      this.db
        .prepare(
          `INSERT INTO users (id, username, display_name, role, province, commune_ids, password_hash, disabled, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          u.username,
          u.displayName,
          u.role,
          u.province ? 1 : 0,
          JSON.stringify(u.communeIds),
          u.passwordHash,
          u.disabled ? 1 : 0,
          u.createdAt,
        );
    } catch (err) {
      if (isUnique(err)) throw userExists(u.username);
      throw err;
    }
    return this.userSync(id)!;
  }
  async updateUser(u: UserRecord): Promise<void> {
    this.db
      .prepare(
        `UPDATE users SET display_name = ?, role = ?, province = ?, commune_ids = ?, password_hash = ?, disabled = ?
         WHERE id = ?`,
      )
      .run(
        u.displayName,
        u.role,
        u.province ? 1 : 0,
        JSON.stringify(u.communeIds),
        u.passwordHash,
        u.disabled ? 1 : 0,
        u.id,
      );
  }
  async deleteUser(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      this.db.prepare('DELETE FROM api_tokens WHERE user_id = ?').run(id);
      return this.db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
    })();
  }
  async touchLogin(id: string, at: number): Promise<void> {
    this.db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(at, id);
  }

  // ---- sessions
  async insertSession(idHash: string, s: SessionRecord & { createdAt: number; ip: string }): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(idHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt, s.ip);
  }
  async session(idHash: string): Promise<SessionRecord | undefined> {
    const row = this.db
      .prepare('SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = ?')
      .get(idHash) as { user_id: string; csrf_token: string; expires_at: number } | undefined;
    return row && { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }
  async deleteSession(idHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }
  async deleteSessionsOf(userId: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }
  async pruneSessions(now: number): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
  }

  // ---- API tokens
  async insertToken(userId: string, name: string, secret: string, at: number): Promise<ApiTokenView> {
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, userId, name, sha256(secret), secret.slice(0, 8), at);
    return (await this.token(id))!;
  }
  async token(id: string): Promise<ApiTokenView | undefined> {
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    return row && tokenView(row);
  }
  async tokens(userId?: string): Promise<ApiTokenView[]> {
    const rows = (
      userId === undefined
        ? this.db.prepare('SELECT * FROM api_tokens ORDER BY created_at').all()
        : this.db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at').all(userId)
    ) as TokenRow[];
    return rows.map(tokenView);
  }
  async tokenBySecret(secret: string): Promise<{ id: string; userId: string } | undefined> {
    const row = this.db
      .prepare('SELECT id, user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL')
      .get(sha256(secret)) as { id: string; user_id: string } | undefined;
    return row && { id: row.id, userId: row.user_id };
  }
  async touchToken(id: string, at: number): Promise<void> {
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }
  async revokeToken(id: string, at: number): Promise<void> {
    this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
  }

  // ---- audit
  async insertAudit(e: AuditRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO audit_log (at, user_id, username, via, method, route, path, status, ip)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.at, e.userId, e.username, e.via, e.method, e.route, e.path, e.status, e.ip);
  }
  async audit(q: AuditQuery): Promise<AuditEntry[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log WHERE (? IS NULL OR id < ?) AND (? IS NULL OR username = ?)
         ORDER BY id DESC LIMIT ?`,
      )
      .all(q.before ?? null, q.before ?? null, q.username ?? null, q.username ?? null, q.limit) as AuditRow[];
    return rows.map(auditEntry);
  }

  // ---- sign-in failures (one statement: SQLite runs it alone, so it is atomic)
  async addFailure(key: string, now: number, forgetMs: number): Promise<FailureCount> {
    const row = this.db
      .prepare(
        `INSERT INTO auth_lockouts (key, failures, last_failure) VALUES (?, 1, ?)
         ON CONFLICT(key) DO UPDATE SET
           failures = CASE WHEN excluded.last_failure - auth_lockouts.last_failure > ? THEN 1
                           ELSE auth_lockouts.failures + 1 END,
           last_failure = MAX(auth_lockouts.last_failure, excluded.last_failure)
         RETURNING failures, last_failure`,
      )
      .get(key, now, forgetMs) as { failures: number; last_failure: number };
    return { failures: row.failures, lastFailure: row.last_failure };
  }
  async failures(key: string): Promise<FailureCount | undefined> {
    const row = this.db.prepare('SELECT failures, last_failure FROM auth_lockouts WHERE key = ?').get(key) as
      | { failures: number; last_failure: number }
      | undefined;
    return row && { failures: row.failures, lastFailure: row.last_failure };
  }
  async clearFailures(key: string): Promise<void> {
    this.db.prepare('DELETE FROM auth_lockouts WHERE key = ?').run(key);
  }
  async pruneFailures(before: number): Promise<void> {
    this.db.prepare('DELETE FROM auth_lockouts WHERE last_failure < ?').run(before);
  }
}
