import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_DB_MIGRATIONS, Registry } from '../registry/registry.ts';
import { authMigrations } from './migrations.ts';

describe('registry.db step 9: users, sessions, API tokens, audit log', () => {
  it('is the auth step after probes, and a new data dir has its tables', async () => {
    expect(authMigrations.map((m) => [m.version, m.owner])).toEqual([
      [9, 'auth'],
      [11, 'auth'],
    ]);
    expect(
      REGISTRY_DB_MIGRATIONS.flat()
        .map((m) => m.version)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-mig-'));
    const registry = new Registry(dir);
    registry.open();
    try {
      const tables = (
        registry.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
          name: string;
        }>
      ).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['users', 'sessions', 'api_tokens', 'audit_log']));
      expect(tables).toContain('auth_lockouts');
      // Public status (step 10, issue 12) comes after it, then the lockout (11, issue 15).
      expect(registry.database.prepare('SELECT version FROM schema_version').get()).toEqual({ version: 11 });
    } finally {
      await registry.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
