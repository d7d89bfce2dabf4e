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
 * The probe targets' own table in registry.db (`probe_targets`, made by the probes step of the one migrator,
 * ./migrations.ts), beside the device record, so the device repository stays as it is.
 */
export class ProbeTargetRepository {
  private readonly selectAll: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(db: Database.Database) {
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
