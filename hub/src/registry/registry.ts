import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_INTERVAL_S,
  type DeviceCreate,
  type DeviceKind,
  type DeviceStatus,
  type Metrics,
  type TransitionReason,
} from '@commune-hub/protocol';
import Database from 'better-sqlite3';
import { HubError } from '../errors.ts';
import { migrate } from './migrations.ts';
import { generateSecret, hashSecret, VerifiedSecretCache, verifySecret } from './secrets.ts';

/** What the registry knows of a device: its identity plus the live state last persisted. */
export interface DeviceRecord {
  id: string;
  kind: DeviceKind;
  name: string;
  village: string;
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
}

function toRecord(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    village: row.village,
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

export interface HubRun {
  id: number;
  startedAt: number;
  aliveAt: number;
  stoppedAt: number | null;
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

  constructor(private readonly dataDir: string) {}

  open(): void {
    fs.mkdirSync(this.dataDir, { recursive: true });
    const db = new Database(path.join(this.dataDir, 'registry.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    this.db = db;
    for (const row of db.prepare('SELECT * FROM devices').all() as DeviceRow[]) {
      this.devices.set(row.id, toRecord(row));
      this.secretHashes.set(row.id, row.secret_hash);
    }
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

  create(input: DeviceCreate, now: number): { record: DeviceRecord; secret: string } {
    if (this.devices.has(input.id)) {
      throw new HubError(
        'HUB_ERR_DEVICE_EXISTS',
        `device ${input.id} already exists; rotate its secret instead`,
      );
    }
    const secret = generateSecret();
    const secretHash = hashSecret(secret);
    const record: DeviceRecord = {
      id: input.id,
      kind: input.kind,
      name: input.name,
      village: input.village,
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
        `INSERT INTO devices (id, kind, name, village, interval_s, secret_hash, created_at, status_since)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(record.id, record.kind, record.name, record.village, record.intervalS, secretHash, now, now);
    this.devices.set(record.id, record);
    this.secretHashes.set(record.id, secretHash);
    return { record, secret };
  }

  rotateSecret(id: string): string {
    if (!this.devices.has(id)) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${id}`);
    const secret = generateSecret();
    const secretHash = hashSecret(secret);
    this.conn.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?').run(secretHash, id);
    this.secretHashes.set(id, secretHash);
    this.verified.forget(id);
    return secret;
  }

  /** True when the device exists, is enabled and the secret is its current one. */
  checkSecret(id: string, secret: string): boolean {
    const device = this.devices.get(id);
    const stored = this.secretHashes.get(id);
    if (!device || device.disabled || !stored) return false;
    if (this.verified.matches(id, secret)) return true;
    if (!verifySecret(secret, stored)) return false;
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

  startRun(now: number): number {
    const info = this.conn.prepare('INSERT INTO hub_runs (started_at, alive_at) VALUES (?, ?)').run(now, now);
    return Number(info.lastInsertRowid);
  }

  markRunAlive(runId: number, now: number): void {
    this.conn.prepare('UPDATE hub_runs SET alive_at = ? WHERE id = ?').run(now, runId);
  }

  stopRun(runId: number, now: number): void {
    this.conn.prepare('UPDATE hub_runs SET alive_at = ?, stopped_at = ? WHERE id = ?').run(now, now, runId);
  }

  /** Runs overlapping [from, to), oldest first. A run that crashed ends at its last alive mark. */
  runs(from: number, to: number): HubRun[] {
    const rows = this.conn
      .prepare(
        `SELECT id, started_at, alive_at, stopped_at FROM hub_runs
         WHERE started_at < ? AND COALESCE(stopped_at, alive_at) >= ? ORDER BY started_at`,
      )
      .all(to, from) as Array<{
      id: number;
      started_at: number;
      alive_at: number;
      stopped_at: number | null;
    }>;
    return rows.map((r) => ({
      id: r.id,
      startedAt: r.started_at,
      aliveAt: r.alive_at,
      stoppedAt: r.stopped_at,
    }));
  }
}
