import type { DeviceKind, DeviceStatus, Metrics, TransitionReason } from '@commune-hub/protocol';
import { type RegistryStorage, statement } from '../db/registry-storage.ts';
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

/**
 * The identity columns of `devices` (the live-state columns are liveness's, the secret the credentials').
 * SQLite or PostgreSQL (../db/registry-storage.ts); statements prepared once. On PostgreSQL every identity
 * change bumps `change_seq`, so the other nodes sharing the database read it (Registry.refresh()).
 */
export class DeviceRepository {
  private readonly insertRow;
  private readonly updateRow;
  private readonly villageName;

  constructor(private readonly storage: RegistryStorage) {
    this.insertRow = statement(
      storage,
      `INSERT INTO devices (id, kind, name, village, village_id, site_id, parent_id, tags_json, interval_s,
         secret_hash, created_at, status_since)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      `INSERT INTO devices (id, kind, name, village, village_id, site_id, parent_id, tags_json, interval_s,
         secret_hash, created_at, status_since)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    );
    this.updateRow = statement(
      storage,
      `UPDATE devices SET name = ?, village = ?, village_id = ?, site_id = ?, parent_id = ?, tags_json = ?,
         interval_s = ?, disabled = ? WHERE id = ?`,
      `UPDATE devices SET name = $1, village = $2, village_id = $3, site_id = $4, parent_id = $5, tags_json = $6,
         interval_s = $7, disabled = $8, change_seq = nextval('hub_change_seq') WHERE id = $9`,
    );
    this.villageName = statement(
      storage,
      'UPDATE devices SET village = ? WHERE village_id = ? AND village <> ?',
      `UPDATE devices SET village = $1, change_seq = nextval('hub_change_seq')
       WHERE village_id = $2 AND village <> $3`,
    );
  }

  /** Every device: read from SQLite, or the rows PostgreSQL gave at boot. */
  all(): DeviceRow[] {
    return this.storage.dialect === 'sqlite'
      ? (this.storage.db.prepare('SELECT * FROM devices').all() as DeviceRow[])
      : this.storage.image.devices;
  }

  insert(record: DeviceRecord, secretHash: string): void {
    this.insertRow(
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
    this.updateRow(
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
    this.villageName(name, villageId, name);
  }
}
