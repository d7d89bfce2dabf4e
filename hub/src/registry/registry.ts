import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_INTERVAL_S,
  type DeviceCreate,
  type DeviceKind,
  type DeviceStatus,
  type DeviceUpdate,
  type Metrics,
  type TransitionReason,
} from '@commune-hub/protocol';
import Database from 'better-sqlite3';
import { HubError } from '../errors.ts';
import { migrate } from './migrations.ts';
import { Places } from './places.ts';
import { type NewCredentials, VerifiedSecretCache, verifySecret } from './secrets.ts';

/** What the registry knows of a device: its identity plus the live state last persisted. */
export interface DeviceRecord {
  id: string;
  kind: DeviceKind;
  name: string;
  /** The village's current name (kept in step with renames); `villageId` is what is stable. */
  village: string;
  villageId: string;
  siteId: string | null;
  /** The gateway allowed to publish for this device. */
  parentId: string | null;
  tags: string[];
  intervalS: number;
  createdAt: number;
  disabled: boolean;
  live: PersistedLiveState;
}

export interface PersistedLiveState {
  status: DeviceStatus;
  since: number;
  reason: TransitionReason;
  lastTs: number | null;
  lastSeq: number | null;
  metrics: Metrics;
  faults: string[];
}

interface DeviceRow {
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

function toRecord(row: DeviceRow): DeviceRecord {
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
 * Devices, their hashed secrets and the hub's own run history, in `registry.db` (SQLite, WAL).
 * Devices are mirrored in memory: the broker checks every CONNECT and PUBLISH against them.
 */
export class Registry {
  private db: Database.Database | undefined;
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly secretHashes = new Map<string, string>();
  private readonly verified = new VerifiedSecretCache();
  private placesStore: Places | undefined;

  constructor(private readonly dataDir: string) {}

  open(): void {
    fs.mkdirSync(this.dataDir, { recursive: true });
    const db = new Database(path.join(this.dataDir, 'registry.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    this.db = db;
    this.placesStore = new Places(db);
    for (const row of db.prepare('SELECT * FROM devices').all() as DeviceRow[]) {
      const record = toRecord(row);
      if (!row.village_id) {
        // Devices provisioned before villages were records of their own: give them one by name.
        record.villageId = this.places.resolveVillage(row.village, true)!.id;
        db.prepare('UPDATE devices SET village_id = ? WHERE id = ?').run(record.villageId, row.id);
      }
      record.village = this.places.village(record.villageId)?.name ?? record.village;
      this.devices.set(row.id, record);
      this.secretHashes.set(row.id, row.secret_hash);
    }
  }

  get places(): Places {
    if (!this.placesStore) throw new HubError('HUB_ERR_INTERNAL', 'registry is not open');
    return this.placesStore;
  }

  /** Renames or moves a village (e.g. to the commune it was merged into); its devices keep their ids. */
  updateVillage(id: string, patch: Parameters<Places['updateVillage']>[1]) {
    const village = this.places.updateVillage(id, patch);
    const stmt = this.conn.prepare('UPDATE devices SET village = ? WHERE id = ?');
    for (const d of this.devices.values()) {
      if (d.villageId === id && d.village !== village.name) {
        d.village = village.name;
        stmt.run(village.name, d.id);
      }
    }
    return village;
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  /** The open registry database, shared with the uptime records that live beside the devices. */
  get database(): Database.Database {
    return this.conn;
  }

  private get conn(): Database.Database {
    if (!this.db) throw new HubError('HUB_ERR_INTERNAL', 'registry is not open');
    return this.db;
  }

  get size(): number {
    return this.devices.size;
  }

  get(id: string): DeviceRecord | undefined {
    return this.devices.get(id);
  }

  list(): DeviceRecord[] {
    return [...this.devices.values()];
  }

  /** Checks a new or changed device against the places and devices it names; throws with what is wrong. */
  private checkRefs(id: string, villageId: string, siteId: string | null, parentId: string | null): void {
    if (siteId !== null) {
      const site = this.places.site(siteId);
      if (!site) throw new HubError('HUB_ERR_VALIDATION', `no site ${siteId}`);
      if (site.villageId !== villageId) {
        throw new HubError(
          'HUB_ERR_VALIDATION',
          `site ${siteId} is in village ${site.villageId}, not ${villageId}`,
        );
      }
    }
    if (parentId !== null) {
      const parent = this.devices.get(parentId);
      if (!parent) throw new HubError('HUB_ERR_VALIDATION', `no parent device ${parentId}`);
      if (parent.kind !== 'gateway')
        throw new HubError('HUB_ERR_VALIDATION', `parent ${parentId} is not a gateway`);
      if (parentId === id) throw new HubError('HUB_ERR_VALIDATION', 'a device cannot be its own parent');
    }
  }

  /** Registers a device with credentials made beforehand by `newCredentials()` (hashing is asynchronous). */
  create(
    input: DeviceCreate,
    now: number,
    credentials: NewCredentials,
  ): { record: DeviceRecord; secret: string } {
    if (this.devices.has(input.id)) {
      throw new HubError(
        'HUB_ERR_DEVICE_EXISTS',
        `device ${input.id} already exists; rotate its secret instead`,
      );
    }
    const existingVillage = this.places.resolveVillage(input.village, false);
    this.checkRefs(input.id, existingVillage?.id ?? '', input.site ?? null, input.parent ?? null);
    const village = existingVillage ?? this.places.resolveVillage(input.village, true)!;
    const { secret, hash: secretHash } = credentials;
    const record: DeviceRecord = {
      id: input.id,
      kind: input.kind,
      name: input.name,
      village: village.name,
      villageId: village.id,
      siteId: input.site ?? null,
      parentId: input.parent ?? null,
      tags: input.tags ?? [],
      intervalS: input.intervalS ?? DEFAULT_INTERVAL_S[input.kind],
      createdAt: now,
      disabled: false,
      live: {
        status: 'unknown',
        since: now,
        reason: 'provisioned',
        lastTs: null,
        lastSeq: null,
        metrics: {},
        faults: [],
      },
    };
    this.conn
      .prepare(
        `INSERT INTO devices (id, kind, name, village, village_id, site_id, parent_id, tags_json, interval_s,
           secret_hash, created_at, status_since)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
        now,
        now,
      );
    this.devices.set(record.id, record);
    this.secretHashes.set(record.id, secretHash);
    return { record, secret };
  }

  update(id: string, patch: DeviceUpdate): DeviceRecord {
    const current = this.devices.get(id);
    if (!current) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${id}`);
    const village =
      patch.village === undefined
        ? { id: current.villageId, name: current.village }
        : (this.places.resolveVillage(patch.village, false) ?? { id: '', name: patch.village });
    const siteId = patch.site === undefined ? current.siteId : patch.site;
    const parentId = patch.parent === undefined ? current.parentId : patch.parent;
    this.checkRefs(id, village.id, siteId, parentId);
    const resolved = village.id ? village : this.places.resolveVillage(patch.village!, true)!;
    const next: DeviceRecord = {
      ...current,
      name: patch.name ?? current.name,
      village: resolved.name,
      villageId: resolved.id,
      siteId,
      parentId,
      tags: patch.tags ?? current.tags,
      intervalS: patch.intervalS ?? current.intervalS,
      disabled: patch.disabled ?? current.disabled,
    };
    this.conn
      .prepare(
        `UPDATE devices SET name = ?, village = ?, village_id = ?, site_id = ?, parent_id = ?, tags_json = ?,
           interval_s = ?, disabled = ? WHERE id = ?`,
      )
      .run(
        next.name,
        next.village,
        next.villageId,
        next.siteId,
        next.parentId,
        JSON.stringify(next.tags),
        next.intervalS,
        next.disabled ? 1 : 0,
        id,
      );
    this.devices.set(id, next);
    if (next.disabled) this.verified.forget(id);
    return next;
  }

  rotateSecret(id: string, credentials: NewCredentials): string {
    if (!this.devices.has(id)) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${id}`);
    const { secret, hash: secretHash } = credentials;
    this.conn.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?').run(secretHash, id);
    this.secretHashes.set(id, secretHash);
    this.verified.forget(id);
    return secret;
  }

  /** True when the device exists, is enabled and the secret is its current one. */
  async checkSecret(id: string, secret: string): Promise<boolean> {
    const device = this.devices.get(id);
    const stored = this.secretHashes.get(id);
    if (!device || device.disabled || !stored) return false;
    if (this.verified.matches(id, secret)) return true;
    if (!(await verifySecret(secret, stored))) return false;
    // The secret may have been rotated or the device disabled while scrypt ran.
    if (this.secretHashes.get(id) !== stored || this.devices.get(id)?.disabled) return false;
    this.verified.remember(id, secret);
    return true;
  }

  /** Persists live state of many devices in one transaction (called on a timer, not per heartbeat). */
  saveLiveStates(states: ReadonlyArray<{ id: string; live: PersistedLiveState }>): void {
    if (states.length === 0) return;
    const stmt = this.conn.prepare(
      `UPDATE devices SET status = ?, status_since = ?, status_reason = ?, last_ts = ?, last_seq = ?,
         metrics_json = ?, faults_json = ? WHERE id = ?`,
    );
    this.conn.transaction(() => {
      for (const { id, live } of states) {
        stmt.run(
          live.status,
          live.since,
          live.reason,
          live.lastTs,
          live.lastSeq,
          JSON.stringify(live.metrics),
          JSON.stringify(live.faults),
          id,
        );
        const record = this.devices.get(id);
        if (record) record.live = live;
      }
    })();
  }
}
