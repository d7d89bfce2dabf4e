import type { DeviceKind, DeviceStatus, Metrics, TransitionReason } from '@commune-hub/protocol';
import type Database from 'better-sqlite3';
import type { DeviceRecord } from './registry.ts';

/** A row of `devices` as SQLite returns it. */
export interface DeviceRow {
  id: string;
  kind: DeviceKind;
  name: string;
  village: string;
  interval_s: number;
  secret_hash: string;
  created_at: number;
  disabled: number;
  status: DeviceStatus;
  status_since: number;
  status_reason: TransitionReason;
  last_ts: number | null;
  last_seq: number | null;
  metrics_json: string;
  faults_json: string;
  village_id: string | null;
  site_id: string | null;
  parent_id: string | null;
  tags_json: string;
}

export function toRecord(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    village: row.village,
    villageId: row.village_id ?? '',
    siteId: row.site_id,
    parentId: row.parent_id,
    tags: JSON.parse(row.tags_json) as string[],
    intervalS: row.interval_s,
    createdAt: row.created_at,
    disabled: row.disabled === 1,
    live: {
      status: row.status,
      since: row.status_since,
      reason: row.status_reason,
      lastTs: row.last_ts,
      lastSeq: row.last_seq,
      metrics: JSON.parse(row.metrics_json) as Metrics,
      faults: JSON.parse(row.faults_json) as string[],
    },
  };
}

/** The identity columns of `devices` (the live-state columns are liveness's, the secret the credentials'). Statements prepared once. */
export class DeviceRepository {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      all: db.prepare('SELECT * FROM devices'),
      insert: db.prepare(
        `INSERT INTO devices (id, kind, name, village, village_id, site_id, parent_id, tags_json, interval_s,
           secret_hash, created_at, status_since)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare(
        `UPDATE devices SET name = ?, village = ?, village_id = ?, site_id = ?, parent_id = ?, tags_json = ?,
           interval_s = ?, disabled = ? WHERE id = ?`,
      ),
      villageName: db.prepare('UPDATE devices SET village = ? WHERE village_id = ? AND village <> ?'),
    };
  }

  all(): DeviceRow[] {
    return this.stmts.all.all() as DeviceRow[];
  }

  insert(record: DeviceRecord, secretHash: string): void {
    this.stmts.insert.run(
      record.id,
      record.kind,
      record.name,
      record.village,
      record.villageId,
      record.siteId,
      record.parentId,
      JSON.stringify(record.tags),
      record.intervalS,
      secretHash,
      record.createdAt,
      record.live.since,
    );
  }

  update(record: DeviceRecord): void {
    this.stmts.update.run(
      record.name,
      record.village,
      record.villageId,
      record.siteId,
      record.parentId,
      JSON.stringify(record.tags),
      record.intervalS,
      record.disabled ? 1 : 0,
      record.id,
    );
  }

  /** Keeps the denormalised village name of a village's devices in step with a rename. */
  renameVillage(villageId: string, name: string): void {
    this.stmts.villageName.run(name, villageId, name);
  }
}
