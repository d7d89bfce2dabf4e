import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiTokenView, AuditEntry, UserRole, UserView } from '@commune-hub/protocol';
import type Database from 'better-sqlite3';

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

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRole;
  province: number;
  commune_ids: string;
  password_hash: string;
  disabled: number;
  created_at: number;
  last_login_at: number | null;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  province: r.province === 1,
  communeIds: JSON.parse(r.commune_ids) as string[],
  passwordHash: r.password_hash,
  disabled: r.disabled === 1,
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

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const tokenView = (r: TokenRow): ApiTokenView => ({
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

/** The SQL of users, sessions, API tokens and the audit log (tables of ./migrations.ts). No policy here. */
export class AuthStore {
  constructor(private readonly db: Database.Database) {}

  // ---- users
  users(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
  }
  user(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }
  userByName(username: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as
      | UserRow
      | undefined;
    return row && toUser(row);
  }
  hasActiveAdmin(): boolean {
    return (
      this.db.prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1").get() !== undefined
    );
  }
  insertUser(u: Omit<UserRecord, 'id' | 'lastLoginAt'>): UserRecord {
    const id = randomUUID();
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
    return this.user(id)!;
  }
  updateUser(u: UserRecord): void {
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
  deleteUser(id: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      this.db.prepare('DELETE FROM api_tokens WHERE user_id = ?').run(id);
      return this.db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
    })();
  }
  touchLogin(id: string, at: number): void {
    this.db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(at, id);
  }

  // ---- sessions
  insertSession(idHash: string, s: SessionRecord & { createdAt: number; ip: string }): void {
    this.db
      .prepare(
        'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(idHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt, s.ip);
  }
  session(idHash: string): SessionRecord | undefined {
    const row = this.db
      .prepare('SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = ?')
      .get(idHash) as { user_id: string; csrf_token: string; expires_at: number } | undefined;
    return row && { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }
  deleteSession(idHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }
  deleteSessionsOf(userId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }
  pruneSessions(now: number): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
  }

  // ---- API tokens
  insertToken(userId: string, name: string, secret: string, at: number): ApiTokenView {
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, userId, name, sha256(secret), secret.slice(0, 8), at);
    return this.token(id)!;
  }
  token(id: string): ApiTokenView | undefined {
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    return row && tokenView(row);
  }
  tokens(userId?: string): ApiTokenView[] {
    const rows = (
      userId === undefined
        ? this.db.prepare('SELECT * FROM api_tokens ORDER BY created_at').all()
        : this.db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at').all(userId)
    ) as TokenRow[];
    return rows.map(tokenView);
  }
  /** The live token with this secret's hash: its id and user. */
  tokenBySecret(secret: string): { id: string; userId: string } | undefined {
    const row = this.db
      .prepare('SELECT id, user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL')
      .get(sha256(secret)) as { id: string; user_id: string } | undefined;
    return row && { id: row.id, userId: row.user_id };
  }
  touchToken(id: string, at: number): void {
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }
  revokeToken(id: string, at: number): void {
    this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
  }

  // ---- audit
  insertAudit(e: AuditRecord): void {
    this.db
      .prepare(
        `INSERT INTO audit_log (at, user_id, username, via, method, route, path, status, ip)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.at, e.userId, e.username, e.via, e.method, e.route, e.path, e.status, e.ip);
  }
  audit(q: { before?: number; limit: number; username?: string }): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log WHERE (? IS NULL OR id < ?) AND (? IS NULL OR username = ?)
         ORDER BY id DESC LIMIT ?`,
      )
      .all(q.before ?? null, q.before ?? null, q.username ?? null, q.username ?? null, q.limit) as Array<
      Omit<AuditEntry, 'at' | 'userId'> & { at: number; user_id: string | null }
    >;
    return rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      userId: r.user_id,
      username: r.username,
      via: r.via,
      method: r.method,
      route: r.route,
      path: r.path,
      status: r.status,
      ip: r.ip,
    }));
  }
}
