import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { REGISTRY_DB_MIGRATIONS, Registry } from '../registry/registry.ts';
import { criteriaMigrations } from './migrations.ts';

const LATEST = REGISTRY_DB_MIGRATIONS.flat().length;
const CRITERIA_STEP = criteriaMigrations[0]!.version;

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'criteria-migrate-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('criteria tables in the one migrator (a registry.db step)', () => {
  it('creates them in a new data dir', () => {
    const registry = new Registry(tempDir());
    registry.open();
    try {
      expect(tables(registry.database)).toEqual(
        expect.arrayContaining(['criteria_manual_entries', 'criteria_reports']),
      );
      expect(tables(registry.database)).not.toContain('criteria_schema_version');
      expect(registry.database.prepare('SELECT version FROM schema_version').get()).toEqual({
        version: LATEST,
      });
    } finally {
      registry.close();
    }
  });

  it('adopts them, with their rows, in a data dir from when criteria kept its own version table', () => {
    const dir = tempDir();
    const first = new Registry(dir);
    first.open();
    first.close();
    // What the criteria branch left: every step before criteria's, and the criteria tables under their
    // own criteria_schema_version = 1.
    const db = new Database(path.join(dir, 'registry.db'));
    db.prepare('UPDATE schema_version SET version = ?').run(CRITERIA_STEP - 1);
    db.exec(`
      CREATE TABLE criteria_schema_version (version INTEGER NOT NULL);
      INSERT INTO criteria_schema_version (version) VALUES (1);
      INSERT INTO criteria_manual_entries (set_id, type, target, from_ms, to_ms, value_json, evidence_json, by, at_ms)
      VALUES ('thanh-hoa-1829-2023', 'input', 'cbcc', 0, 1, '21', '{"text":"QĐ 12"}', 'Lê Thị Hoa', 5);`);
    db.close();

    const registry = new Registry(dir);
    registry.open();
    try {
      expect(tables(registry.database)).not.toContain('criteria_schema_version');
      expect(
        registry.database.prepare('SELECT target, value_json, by FROM criteria_manual_entries').all(),
      ).toEqual([{ target: 'cbcc', value_json: '21', by: 'Lê Thị Hoa' }]);
      expect(registry.database.prepare('SELECT version FROM schema_version').get()).toEqual({
        version: LATEST,
      });
    } finally {
      registry.close();
    }
  });
});
