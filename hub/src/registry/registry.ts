import { randomUUID } from 'node:crypto';
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
import { openDatabase } from '../db/open.ts';
import { IdBlocks } from '../db/postgres/id-blocks.ts';
import { migratePostgres } from '../db/postgres/migrate.ts';
import { readImage } from '../db/postgres/registry-image.ts';
import { WriteJournal } from '../db/postgres/write-journal.ts';
import { atomically, type RegistryStorage } from '../db/registry-storage.ts';
import { HubError } from '../errors.ts';
import { CredentialRepository } from './credentials.ts';
import { DeviceRepository, toRecord } from './device-repository.ts';
import { Places } from './places.ts';
import type { NewCredentials } from './secrets.ts';
import {
  CHANGES_CHANNEL,
  changedFields,
  type PostgresOptions,
  REGISTRY_PG_MIGRATIONS,
  type RegistryChanges,
} from './shared-storage.ts';

/**
 * Every module's steps of `registry.db`, applied by the one migrator (../db/migrate.ts). The same list as
 * PostgreSQL's: its migrator runs every step too (steps without a PostgreSQL form only move the version on).
 */
export const REGISTRY_DB_MIGRATIONS = REGISTRY_PG_MIGRATIONS;

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
 * Devices and places, in `registry.db` (SQLite, WAL) or, with HUB_DB=postgres, in a PostgreSQL database
 * several nodes share (`openPostgres()`). The registry opens its storage once and shares it with the
 * repositories of the other aggregates stored beside it (live state: liveness; coverage, maintenance and
 * hub runs: uptime). Devices are mirrored in memory: the broker checks every CONNECT and PUBLISH against them.
 *
 * The memory changes only with a successful write: every write runs in `transaction()`, which works on
 * copies of the maps and keeps them only if SQLite committed (or, on PostgreSQL, the batch was queued),
 * so a failed import leaves nothing behind. On PostgreSQL the caller awaits `durable()` before saying a
 * write is done; if the database refused it, the memory is read again from the database.
 */
export class Registry {
  private db: Database.Database | undefined;
  private store: RegistryStorage | undefined;
  private pool: import('pg').Pool | undefined;
  private changeSeq = 0;
  /** Names this node in its change notifications, so it does not wake itself. */
  readonly nodeId = randomUUID();
  private readonly remoteListeners: Array<(changes: RegistryChanges) => void> = [];
  private devices = new Map<string, DeviceRecord>();
  private repo: DeviceRepository | undefined;
  private credentials: CredentialRepository | undefined;
  private placesStore: Places | undefined;
  private depth = 0;

  constructor(private readonly dataDir: string) {}

  /** Opens `registry.db` and keeps everything there (HUB_DB=sqlite). */
  open(): void {
    const db = openDatabase(this.dataDir, 'registry.db', REGISTRY_DB_MIGRATIONS);
    this.db = db;
    this.attach({ dialect: 'sqlite', db });
  }

  /**
   * HUB_DB=postgres: devices, places, credentials, live state, coverage, maintenance and hub runs live in
   * PostgreSQL (migrated by the same steps, ../db/postgres/migrate.ts) and are read whole into memory
   * here. `registry.db` is still opened and migrated as the node's own file; what other nodes need is not
   * in it (alerts, alert delivery, criteria and probe targets are shared by the shared-state plugin; auth
   * and public status query PostgreSQL directly through `postgresPool`).
   */
  async openPostgres(options: PostgresOptions): Promise<void> {
    // pg is loaded only by a registry on PostgreSQL (issue 15: a single SQLite node's RSS).
    const { openPostgres } = await import('../db/postgres/pool.ts');
    const pool = await openPostgres(options.url);
    try {
      await migratePostgres(pool, REGISTRY_PG_MIGRATIONS);
      const ids = await IdBlocks.open(pool);
      const image = await readImage(pool);
      const journal = new WriteJournal(pool, {
        onFailure: options.onWriteFailure ?? (() => {}),
        notify: { channel: CHANGES_CHANNEL, payload: this.nodeId },
      });
      this.db = openDatabase(this.dataDir, 'registry.db', REGISTRY_DB_MIGRATIONS);
      this.pool = pool;
      this.changeSeq = image.changeSeq;
      this.attach({ dialect: 'postgres', journal, image, ids });
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
  }

  private attach(storage: RegistryStorage): void {
    this.store = storage;
    this.repo = new DeviceRepository(storage);
    this.credentials = new CredentialRepository(storage);
    this.placesStore = new Places(storage);
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
      return atomically(this.storage, fn);
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

  /** Closes (SQLite at once; PostgreSQL after writing what is queued). */
  close(): Promise<void> {
    const store = this.store;
    const pool = this.pool;
    this.pool = undefined;
    const closeFile = () => {
      this.db?.close();
      this.db = undefined;
    };
    if (store?.dialect !== 'postgres') {
      closeFile();
      return Promise.resolve();
    }
    return (async () => {
      try {
        await store.journal.close();
        await pool?.end();
      } finally {
        closeFile();
      }
    })();
  }

  /**
   * The node's `registry.db`, for the tables that stay per node (alerts, alert delivery, criteria,
   * probe targets, auth, public status). With HUB_DB=sqlite it also holds everything `storage` names.
   */
  get database(): Database.Database {
    return this.conn;
  }

  /** Where devices, places, credentials, live state, coverage, maintenance and hub runs are stored. */
  get storage(): RegistryStorage {
    if (!this.store) throw new HubError('HUB_ERR_INTERNAL', 'registry is not open');
    return this.store;
  }

  /**
   * HUB_DB=postgres: the pool on the shared database, for the stores that query it directly instead of
   * through the in-memory image (auth, public status). Undefined on SQLite.
   */
  get postgresPool(): import('pg').Pool | undefined {
    return this.pool;
  }

  get dialect(): RegistryStorage['dialect'] {
    return this.storage.dialect;
  }

  /**
   * Resolves once every write made so far is committed (at once on SQLite). On PostgreSQL, if the
   * database refused it, the memory is read again from the database and this throws
   * HUB_ERR_STORE_UNREACHABLE: the caller must not report the write as done.
   */
  async durable(): Promise<void> {
    const store = this.storage;
    if (store.dialect === 'sqlite') return;
    try {
      await store.journal.durable();
    } catch (err) {
      await this.reload().catch(() => {});
      throw new HubError(
        'HUB_ERR_STORE_UNREACHABLE',
        `PostgreSQL did not take the write: ${(err as Error).message}`,
      );
    }
  }

  /** PostgreSQL: the devices, credentials and places read whole again (after a refused write). */
  private async reload(): Promise<void> {
    const store = this.storage;
    if (store.dialect === 'sqlite' || !this.pool) return;
    await store.journal.settled();
    const image = await readImage(this.pool);
    this.devices = new Map();
    this.placesStore = new Places({ ...store, image });
    this.credentials = new CredentialRepository(store);
    for (const row of image.devices) this.adopt(row);
    this.changeSeq = image.changeSeq;
  }

  private adopt(row: import('./device-repository.ts').DeviceRow): DeviceRecord {
    const record = toRecord(row);
    record.village = this.places.village(record.villageId)?.name ?? record.village;
    this.devices.set(row.id, record);
    this.secrets.load(row.id, row.secret_hash);
    return record;
  }

  /** Other modules' images follow what `refresh()` read (coverage, maintenance, hub runs: uptime). */
  onRefresh(listener: (changes: RegistryChanges) => void): void {
    this.remoteListeners.push(listener);
  }

  /**
   * PostgreSQL, several nodes: reads what changed since the last read (`change_seq`) and takes it into
   * memory. Returns what other nodes changed, for the caller to announce on this node's event bus; this
   * node's own writes come back identical and are no change. Live state is not read (its owner tells).
   */
  async refresh(): Promise<RegistryChanges | undefined> {
    const store = this.storage;
    if (store.dialect === 'sqlite' || !this.pool) return undefined;
    // This node's own queued writes first: read back, they then match memory instead of undoing it.
    await store.journal.settled();
    const image = await readImage(this.pool, this.changeSeq);
    const changes: RegistryChanges = { created: [], updated: [], secretRotated: [], villages: [], image };
    const renamed = image.villages.filter((v) => {
      const known = this.places.village(v.id);
      return known && (known.name !== v.name || known.communeId !== v.commune_id);
    });
    this.places.load(image.communes, image.villages, image.sites);
    changes.villages = renamed.map((v) => v.id);
    for (const row of image.devices) {
      const before = this.devices.get(row.id);
      if (!before) {
        changes.created.push(this.adopt(row));
        continue;
      }
      const next = toRecord(row);
      next.village = this.places.village(next.villageId)?.name ?? next.village;
      next.live = before.live;
      const fields = changedFields(before, next);
      if (fields.length > 0) {
        this.devices.set(row.id, next);
        if (next.disabled) this.secrets.forgetVerified(row.id);
        changes.updated.push({ device: next, before, changes: fields });
      }
      if (this.secrets.current(row.id) !== row.secret_hash) {
        this.secrets.replaceRead(row.id, row.secret_hash);
        changes.secretRotated.push(row.id);
      }
    }
    this.changeSeq = image.changeSeq;
    for (const listener of this.remoteListeners) listener(changes);
    return changes;
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
    this.transaction(() => this.secrets.replace(id, secretHash));
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
