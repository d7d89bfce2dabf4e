import { randomUUID } from 'node:crypto';
import type { ApiTokenView, AuditEntry } from '@commune-hub/protocol';
import type pg from 'pg';
import {
  type AuditQuery,
  type AuditRecord,
  type AuditRow,
  type AuthStore,
  auditEntry,
  type FailureCount,
  type SessionRecord,
  sha256,
  type TokenRow,
  tokenView,
  toUser,
  type UserRecord,
  type UserRow,
  userExists,
} from './store.ts';

/** PostgreSQL's unique_violation. */
const isUnique = (err: unknown) => (err as { code?: string }).code === '23505';

/**
 * The auth tables on the PostgreSQL database every node shares (HUB_DB=postgres; made by migration steps
 * 9 and 11, ../auth/migrations.ts). Each call is one query (deleteUser: one transaction), straight to the
 * database, no cache: a session opened, a token revoked or a user disabled on one node is what the next
 * request sees on every node. The pool is the registry's (../db/postgres/pool.ts).
 */
export class PostgresAuthStore implements AuthStore {
  readonly dialect = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  private async rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, params)).rows;
  }

  // ---- users
  async users(): Promise<UserRecord[]> {
    return (await this.rows<UserRow>('SELECT * FROM users ORDER BY username')).map(toUser);
  }
  async user(id: string): Promise<UserRecord | undefined> {
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return row && toUser(row);
  }
  async userByName(username: string): Promise<UserRecord | undefined> {
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
    return row && toUser(row);
  }
  async hasActiveAdmin(): Promise<boolean> {
    const rows = await this.rows("SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled LIMIT 1");
    return rows.length > 0;
  }
  async insertUser(u: Omit<UserRecord, 'id' | 'lastLoginAt'>): Promise<UserRecord> {
    try {
      const [row] = await this.rows<UserRow>(
        `INSERT INTO users (id, username, display_name, role, province, commune_ids, password_hash, disabled, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [
          randomUUID(),
          u.username,
          u.displayName,
          u.role,
          u.province,
          JSON.stringify(u.communeIds),
          u.passwordHash,
          u.disabled,
          u.createdAt,
        ],
      );
      return toUser(row!);
    } catch (err) {
      if (isUnique(err)) throw userExists(u.username);
      throw err;
    }
  }
  async updateUser(u: UserRecord): Promise<void> {
    await this.pool.query(
      `UPDATE users SET display_name = $1, role = $2, province = $3, commune_ids = $4, password_hash = $5,
         disabled = $6 WHERE id = $7`,
      [u.displayName, u.role, u.province, JSON.stringify(u.communeIds), u.passwordHash, u.disabled, u.id],
    );
  }
  async deleteUser(id: string): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
      await client.query('DELETE FROM api_tokens WHERE user_id = $1', [id]);
      const { rowCount } = await client.query('DELETE FROM users WHERE id = $1', [id]);
      await client.query('COMMIT');
      return (rowCount ?? 0) > 0;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
  async touchLogin(id: string, at: number): Promise<void> {
    await this.pool.query('UPDATE users SET last_login_at = $1 WHERE id = $2', [at, id]);
  }

  // ---- sessions
  async insertSession(idHash: string, s: SessionRecord & { createdAt: number; ip: string }): Promise<void> {
    await this.pool.query(
      'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5, $6)',
      [idHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt, s.ip],
    );
  }
  async session(idHash: string): Promise<SessionRecord | undefined> {
    const [row] = await this.rows<{ user_id: string; csrf_token: string; expires_at: number }>(
      'SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = $1',
      [idHash],
    );
    return row && { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }
  async deleteSession(idHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }
  async deleteSessionsOf(userId: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  }
  async pruneSessions(now: number): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
  }

  // ---- API tokens
  async insertToken(userId: string, name: string, secret: string, at: number): Promise<ApiTokenView> {
    const [row] = await this.rows<TokenRow>(
      `INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING *`,
      [randomUUID(), userId, name, sha256(secret), secret.slice(0, 8), at],
    );
    return tokenView(row!);
  }
  async token(id: string): Promise<ApiTokenView | undefined> {
    const [row] = await this.rows<TokenRow>('SELECT * FROM api_tokens WHERE id = $1', [id]);
    return row && tokenView(row);
  }
  async tokens(userId?: string): Promise<ApiTokenView[]> {
    const rows =
      userId === undefined
        ? await this.rows<TokenRow>('SELECT * FROM api_tokens ORDER BY created_at, id')
        : await this.rows<TokenRow>('SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id', [
            userId,
          ]);
    return rows.map(tokenView);
  }
  async tokenBySecret(secret: string): Promise<{ id: string; userId: string } | undefined> {
    const [row] = await this.rows<{ id: string; user_id: string }>(
      'SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [sha256(secret)],
    );
    return row && { id: row.id, userId: row.user_id };
  }
  async touchToken(id: string, at: number): Promise<void> {
    await this.pool.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
  }
  async revokeToken(id: string, at: number): Promise<void> {
    await this.pool.query('UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
      at,
      id,
    ]);
  }

  // ---- audit
  async insertAudit(e: AuditRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_log (at, user_id, username, via, method, route, path, status, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.at, e.userId, e.username, e.via, e.method, e.route, e.path, e.status, e.ip],
    );
  }
  async audit(q: AuditQuery): Promise<AuditEntry[]> {
    const rows = await this.rows<AuditRow>(
      `SELECT * FROM audit_log WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR username = $2)
       ORDER BY id DESC LIMIT $3`,
      [q.before ?? null, q.username ?? null, q.limit],
    );
    return rows.map(auditEntry);
  }

  // ---- sign-in failures: one upsert, which PostgreSQL serializes on the key's row across all nodes
  async addFailure(key: string, now: number, forgetMs: number): Promise<FailureCount> {
    const [row] = await this.rows<{ failures: number; last_failure: number }>(
      `INSERT INTO auth_lockouts AS l (key, failures, last_failure) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN EXCLUDED.last_failure - l.last_failure > $3 THEN 1 ELSE l.failures + 1 END,
         last_failure = GREATEST(l.last_failure, EXCLUDED.last_failure)
       RETURNING failures, last_failure`,
      [key, now, forgetMs],
    );
    return { failures: row!.failures, lastFailure: row!.last_failure };
  }
  async failures(key: string): Promise<FailureCount | undefined> {
    const [row] = await this.rows<{ failures: number; last_failure: number }>(
      'SELECT failures, last_failure FROM auth_lockouts WHERE key = $1',
      [key],
    );
    return row && { failures: row.failures, lastFailure: row.last_failure };
  }
  async clearFailures(key: string): Promise<void> {
    await this.pool.query('DELETE FROM auth_lockouts WHERE key = $1', [key]);
  }
  async pruneFailures(before: number): Promise<void> {
    await this.pool.query('DELETE FROM auth_lockouts WHERE last_failure < $1', [before]);
  }
}
