import type { Migration } from '../db/migrate.ts';

/**
 * Users, sessions, personal API tokens and the audit log in `registry.db`: step 9 (after probes' 8).
 * Forward only: append, never edit a shipped step. Run by ../db/migrate.ts. `IF NOT EXISTS` so that a
 * file rewound to an earlier step (the adoption tests of older steps) replays it harmlessly.
 * Secrets are never stored: passwords as scrypt hashes, session ids and API tokens as SHA-256 of 32
 * random bytes (high entropy, so a fast hash is enough and lookups stay one indexed query).
 */
export const authMigrations: readonly Migration[] = [
  {
    version: 9,
    owner: 'auth',
    up: `
      CREATE TABLE IF NOT EXISTS users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        province INTEGER NOT NULL DEFAULT 0,
        commune_ids TEXT NOT NULL DEFAULT '[]',
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        last_login_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ip TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
      CREATE TABLE IF NOT EXISTS api_tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens(user_id);
      CREATE TABLE IF NOT EXISTS audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        user_id TEXT,
        username TEXT,
        via TEXT NOT NULL,
        method TEXT NOT NULL,
        route TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        ip TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS audit_log_username ON audit_log(username, id);
    `,
  },
];
