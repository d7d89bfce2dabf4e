import type Database from 'better-sqlite3';

/** One stored probe target: the public part as JSON, the credentials sealed (AES-256-GCM). */
export interface ProbeTargetRow {
  deviceId: string;
  /** ProbeTarget without its secret fields. */
  publicJson: string;
  /** Sealed JSON of the secret fields, or null when there are none. */
  sealedSecrets: string | null;
  updatedAt: number;
}

/**
 * The probe targets' own table in registry.db, beside (not inside) the device record, so the device
 * repository stays as it is. `probe_` prefix; created here until the shared migrator takes the step.
 */
export function migrateProbes(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS probe_targets (
    device_id TEXT PRIMARY KEY,
    public_json TEXT NOT NULL,
    sealed_secrets TEXT,
    updated_at INTEGER NOT NULL
  )`);
}

export class ProbeTargetRepository {
  private readonly selectAll: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(db: Database.Database) {
    migrateProbes(db);
    this.selectAll = db.prepare(
      'SELECT device_id AS deviceId, public_json AS publicJson, sealed_secrets AS sealedSecrets, updated_at AS updatedAt FROM probe_targets',
    );
    this.upsert = db.prepare(
      `INSERT INTO probe_targets (device_id, public_json, sealed_secrets, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(device_id) DO UPDATE SET public_json = excluded.public_json,
         sealed_secrets = excluded.sealed_secrets, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM probe_targets WHERE device_id = ?');
  }

  all(): ProbeTargetRow[] {
    return this.selectAll.all() as ProbeTargetRow[];
  }

  save(row: ProbeTargetRow): void {
    this.upsert.run(row.deviceId, row.publicJson, row.sealedSecrets, row.updatedAt);
  }

  delete(deviceId: string): boolean {
    return this.remove.run(deviceId).changes > 0;
  }
}
