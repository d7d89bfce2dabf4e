import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertDeliveryMigrations } from '../alert-delivery/migrations.ts';
import { migrate } from '../db/migrate.ts';
import { REGISTRY_DB_MIGRATIONS, Registry } from '../registry/registry.ts';
import { alertsMigrations } from './migrations.ts';

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  )
    .map((t) => t.name)
    .filter((n) => n.startsWith('alert_'));

/** Later parts (criteria) add steps after the alert ones: a migrated data dir ends at the newest. */
const LATEST = Math.max(...REGISTRY_DB_MIGRATIONS.flat().map((s) => s.version));

const ALERT_TABLES = [
  'alert_alerts',
  'alert_channels',
  'alert_delivery_attempts',
  'alert_delivery_bot_offsets',
  'alert_delivery_digest_items',
  'alert_delivery_messages',
  'alert_history',
  'alert_mutes',
  'alert_recurring_windows',
  'alert_rules',
  'alert_schedules',
];

describe('registry.db: the alert tables are steps of the one migrator', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-mig-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const openRegistry = () => {
    const registry = new Registry(dir);
    registry.open();
    return registry;
  };
  const versionOf = (db: Database.Database) =>
    (db.prepare('SELECT version FROM schema_version').get() as { version: number }).version;

  it('a new data dir gets every alert table at the last version', () => {
    const registry = openRegistry();
    try {
      expect(tables(registry.database)).toEqual(ALERT_TABLES);
      expect(versionOf(registry.database)).toBe(REGISTRY_DB_MIGRATIONS.flat().length);
    } finally {
      registry.close();
    }
  });

  it('a data dir from before alerting (version 4) continues with the alert steps', () => {
    const db = new Database(path.join(dir, 'registry.db'));
    migrate(
      db,
      REGISTRY_DB_MIGRATIONS.map((steps) => steps.filter((s) => s.version <= 4)),
    );
    expect(tables(db)).toEqual([]);
    db.close();
    const registry = openRegistry();
    try {
      expect(tables(registry.database)).toEqual(ALERT_TABLES);
      expect(versionOf(registry.database)).toBe(LATEST);
    } finally {
      registry.close();
    }
  });

  it('a data dir where alerting kept its own version tables keeps its rows and drops the old bookkeeping', () => {
    // As the alerts branch left it: registry at version 3, alert tables made by the modules themselves.
    const db = new Database(path.join(dir, 'registry.db'));
    migrate(
      db,
      REGISTRY_DB_MIGRATIONS.map((steps) => steps.filter((s) => s.version <= 3)),
    );
    for (const [step, legacy] of [
      [alertsMigrations[0]!, 'alert_schema_version'],
      [alertDeliveryMigrations[0]!, 'alert_delivery_schema_version'],
    ] as const) {
      (step.up as (d: Database.Database) => void)(db);
      db.exec(`CREATE TABLE ${legacy} (version INTEGER NOT NULL); INSERT INTO ${legacy} VALUES (1);`);
    }
    db.prepare("INSERT INTO alert_rules (id, json) VALUES ('r1', '{}')").run();
    db.prepare(
      `INSERT INTO alert_channels (id, name, kind, config_json, created_at, updated_at)
       VALUES ('c1', 'Email', 'email', '{}', 0, 0)`,
    ).run();
    db.close();

    const registry = openRegistry();
    try {
      const d = registry.database;
      expect(tables(d)).toEqual(ALERT_TABLES);
      expect(versionOf(d)).toBe(LATEST);
      expect(d.prepare('SELECT id FROM alert_rules').all()).toEqual([{ id: 'r1' }]);
      expect(d.prepare('SELECT id FROM alert_channels').all()).toEqual([{ id: 'c1' }]);
    } finally {
      registry.close();
    }
  });
});
