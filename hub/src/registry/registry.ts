import {
  DEFAULT_INTERVAL_S,
  type DeviceCreate,
  type DeviceKind,
  type DeviceStatus,
  type DeviceUpdate,
  type Metrics,
  type TransitionReason,
} from '@commune-hub/protocol';
import type Database from 'better-sqlite3';
import { alertDeliveryMigrations } from '../alert-delivery/migrations.ts';
import { alertsMigrations } from '../alerts/migrations.ts';
import { authMigrations } from '../auth/migrations.ts';
import { criteriaMigrations } from '../criteria/migrations.ts';
import { openDatabase } from '../db/open.ts';
import { HubError } from '../errors.ts';
import { probesMigrations } from '../probes/migrations.ts';
import { publicStatusMigrations } from '../public-status/migrations.ts';
import { uptimeMigrations } from '../uptime/migrations.ts';
import { CredentialRepository } from './credentials.ts';
import { DeviceRepository, toRecord } from './device-repository.ts';
import { registryMigrations } from './migrations.ts';
import { Places } from './places.ts';
import type { NewCredentials } from './secrets.ts';

/** Every module's steps of `registry.db`, applied by the one migrator (../db/migrate.ts). */
export const REGISTRY_DB_MIGRATIONS = [
  registryMigrations,
  uptimeMigrations,
  alertsMigrations,
  alertDeliveryMigrations,
  criteriaMigrations,
  probesMigrations,
  authMigrations,
  publicStatusMigrations,
];

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

/**
 * Devices and places, in `registry.db` (SQLite, WAL), which the registry opens once and shares with the
 * repositories of the other aggregates stored there (live state: liveness; coverage, maintenance and hub
 * runs: uptime). Devices are mirrored in memory: the broker checks every CONNECT and PUBLISH against them.
 *
 * The memory changes only with a committed write: every write runs in `transaction()`, which works on
 * copies of the maps and keeps them only if SQLite committed, so a failed import leaves nothing behind.
 */
export class Registry {
  private db: Database.Database | undefined;
  private devices = new Map<string, DeviceRecord>();
  private repo: DeviceRepository | undefined;
  private credentials: CredentialRepository | undefined;
  private placesStore: Places | undefined;
  private depth = 0;

  constructor(private readonly dataDir: string) {}

  open(): void {
    const db = openDatabase(this.dataDir, 'registry.db', REGISTRY_DB_MIGRATIONS);
    this.db = db;
    this.repo = new DeviceRepository(db);
    this.credentials = new CredentialRepository(db);
    this.placesStore = new Places(db);
    for (const row of this.repo.all()) {
      const record = toRecord(row);
      // The village's current name wins over the copy in the row (renames update both, but be sure).
      record.village = this.places.village(record.villageId)?.name ?? record.village;
      this.devices.set(row.id, record);
      this.credentials.load(row.id, row.secret_hash);
    }
  }

  get places(): Places {
    if (!this.placesStore) throw new HubError('HUB_ERR_INTERNAL', 'registry is not open');
    return this.placesStore;
  }

  private get devicesRepo(): DeviceRepository {
    if (!this.repo) throw new HubError('HUB_ERR_INTERNAL', 'registry is not open');
    return this.repo;
  }

  private get secrets(): CredentialRepository {
    if (!this.credentials) throw new HubError('HUB_ERR_INTERNAL', 'registry is not open');
    return this.credentials;
  }

  /**
   * Runs `fn` in one SQLite transaction on copies of the in-memory maps: they replace the maps only when
   * the transaction committed; if anything throws, the maps are exactly the ones from before, untouched.
   * Synchronous, so nothing else (a CONNECT, a heartbeat) can see the copies half-way. A call inside
   * another joins it (one copy per outermost transaction, so an import of n devices stays O(n)).
   */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    const devices = this.devices;
    const secrets = this.secrets.snapshot();
    const places = this.places.snapshot();
    this.devices = new Map(devices);
    this.depth++;
    try {
      return this.conn.transaction(fn)();
    } catch (err) {
      this.devices = devices;
      this.secrets.restore(secrets);
      this.places.restore(places);
      throw err;
    } finally {
      this.depth--;
    }
  }

  /** Renames or moves a village (e.g. to the commune it was merged into); its devices keep their ids. */
  updateVillage(id: string, patch: Parameters<Places['updateVillage']>[1]) {
    return this.transaction(() => {
      const village = this.places.updateVillage(id, patch);
      this.devicesRepo.renameVillage(id, village.name);
      for (const d of this.devices.values()) {
        if (d.villageId === id && d.village !== village.name)
          this.devices.set(d.id, { ...d, village: village.name });
      }
      return village;
    });
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  /** The open registry database, for the repositories of the aggregates stored beside the devices. */
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
    const { secret, hash: secretHash } = credentials;
    return this.transaction(() => {
      const record = this.insert(input, now, secretHash);
      return { record, secret };
    });
  }

  /** Inserts one device (inside a transaction): its village is found, or created, by id or name. */
  private insert(input: DeviceCreate, now: number, secretHash: string): DeviceRecord {
    const village = this.places.resolveVillage(input.village, true)!;
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
    this.devicesRepo.insert(record, secretHash);
    this.devices.set(record.id, record);
    this.secrets.remember(record.id, secretHash);
    return record;
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
    // A new village named in the patch is created in the same transaction as the device's update.
    return this.transaction(() => {
      const resolved = village.id ? village : this.places.resolveVillage(patch.village!, true)!;
      return this.apply(current, patch, resolved, siteId, parentId);
    });
  }

  private apply(
    current: DeviceRecord,
    patch: DeviceUpdate,
    resolved: { id: string; name: string },
    siteId: string | null,
    parentId: string | null,
  ): DeviceRecord {
    const id = current.id;
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
    this.devicesRepo.update(next);
    this.devices.set(id, next);
    if (next.disabled) this.secrets.forgetVerified(id);
    return next;
  }

  rotateSecret(id: string, credentials: NewCredentials): string {
    if (!this.devices.has(id)) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${id}`);
    const { secret, hash: secretHash } = credentials;
    this.secrets.replace(id, secretHash);
    return secret;
  }

  /** The fast path of checkSecret: true only for a secret already verified for this enabled device. */
  secretAlreadyVerified(id: string, secret: string): boolean {
    const device = this.devices.get(id);
    return device !== undefined && !device.disabled && this.secrets.alreadyVerified(id, secret);
  }

  /** True when the device exists, is enabled and the secret is its current one. */
  async checkSecret(id: string, secret: string): Promise<boolean> {
    const device = this.devices.get(id);
    if (!device || device.disabled) return false;
    return this.secrets.check(id, secret, () => this.devices.get(id)?.disabled === false);
  }

  /** Liveness saved these devices' live state (../liveness/live-state-repository.ts): the copy here follows. */
  rememberLiveStates(states: ReadonlyArray<{ id: string; live: PersistedLiveState }>): void {
    for (const { id, live } of states) {
      const record = this.devices.get(id);
      if (record) record.live = live;
    }
  }
}
