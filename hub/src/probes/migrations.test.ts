import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.ts';
import { REGISTRY_DB_MIGRATIONS, Registry } from '../registry/registry.ts';
import { probesMigrations } from './migrations.ts';
import { ProbeTargetRepository } from './repository.ts';

const PROBE_STEP = probesMigrations[0]!.version;

describe('registry.db: probe_targets is a step of the one migrator', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probes-mig-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const versionOf = (db: Database.Database) =>
    (db.prepare('SELECT version FROM schema_version').get() as { version: number }).version;
  const hasTable = (db: Database.Database) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'probe_targets'").get() !==
    undefined;

  it('is owned by probes and comes after every step before it', () => {
    expect(probesMigrations).toHaveLength(1);
    expect(probesMigrations[0]!.owner).toBe('probes');
    expect(PROBE_STEP).toBe(8);
    expect(REGISTRY_DB_MIGRATIONS.flat().filter((m) => m.version < PROBE_STEP)).toHaveLength(7);
  });

  it('a data dir from before probes continues with the probes step', () => {
    const db = new Database(path.join(dir, 'registry.db'));
    migrate(
      db,
      REGISTRY_DB_MIGRATIONS.map((steps) => steps.filter((s) => s.version < PROBE_STEP)),
    );
    expect(hasTable(db)).toBe(false);
    db.close();
    const registry = new Registry(dir);
    registry.open();
    try {
      expect(hasTable(registry.database)).toBe(true);
      expect(versionOf(registry.database)).toBe(REGISTRY_DB_MIGRATIONS.flat().length);
      const repository = new ProbeTargetRepository(registry.database);
      repository.save({ deviceId: 'cam', publicJson: '{}', sealedSecrets: null, updatedAt: 1 });
      expect(repository.all().map((r) => r.deviceId)).toEqual(['cam']);
    } finally {
      registry.close();
    }
  });

  it('a data dir where an earlier probes build made the table on its own keeps its rows', () => {
    const db = new Database(path.join(dir, 'registry.db'));
    migrate(
      db,
      REGISTRY_DB_MIGRATIONS.map((steps) => steps.filter((s) => s.version < PROBE_STEP)),
    );
    db.exec(`CREATE TABLE probe_targets (device_id TEXT PRIMARY KEY, public_json TEXT NOT NULL,
      sealed_secrets TEXT, updated_at INTEGER NOT NULL)`);
    db.prepare("INSERT INTO probe_targets VALUES ('cam', '{\"type\":\"rtsp\"}', 'sealed', 5)").run();
    db.close();
    const registry = new Registry(dir);
    registry.open();
    try {
      expect(new ProbeTargetRepository(registry.database).all()).toEqual([
        { deviceId: 'cam', publicJson: '{"type":"rtsp"}', sealedSecrets: 'sealed', updatedAt: 5 },
      ]);
      expect(versionOf(registry.database)).toBe(REGISTRY_DB_MIGRATIONS.flat().length);
    } finally {
      registry.close();
    }
  });
});
