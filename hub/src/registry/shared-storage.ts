import { alertDeliveryMigrations } from '../alert-delivery/migrations.ts';
import { alertsMigrations } from '../alerts/migrations.ts';
import { authMigrations } from '../auth/migrations.ts';
import { criteriaMigrations } from '../criteria/migrations.ts';
import type { RegistryImage } from '../db/postgres/registry-image.ts';
import { probesMigrations } from '../probes/migrations.ts';
import { publicStatusMigrations } from '../public-status/migrations.ts';
import { uptimeMigrations } from '../uptime/migrations.ts';
import { registryMigrations } from './migrations.ts';
import type { DeviceRecord } from './registry.ts';

// The registry on a PostgreSQL database several nodes share (HUB_DB=postgres): what Registry.openPostgres,
// Registry.refresh and ./follow-changes.ts agree on.

/** The PostgreSQL channel a node notifies after committing a change the others follow (payload: its nodeId). */
export const CHANGES_CHANNEL = 'hub_changes';

/**
 * Every step of the one migrator, run on PostgreSQL with HUB_DB=postgres: the steps with a `pg` form make
 * the shared tables (registry and uptime 1–4, auth 9 and 11, public status 10); the others are SQLite-only
 * and only move the version on (their tables stay in each node's `registry.db`).
 */
export const REGISTRY_PG_MIGRATIONS = [
  registryMigrations,
  uptimeMigrations,
  alertsMigrations,
  alertDeliveryMigrations,
  criteriaMigrations,
  probesMigrations,
  authMigrations,
  publicStatusMigrations,
];

export interface PostgresOptions {
  url: string;
  /** A write the database refused, or could not be reached for within the retry window. */
  onWriteFailure?: (err: Error, statements: number) => void;
}

/** What `refresh()` found that other nodes changed (this node's own writes coming back are no change). */
export interface RegistryChanges {
  created: DeviceRecord[];
  updated: Array<{ device: DeviceRecord; before: DeviceRecord; changes: string[] }>;
  secretRotated: string[];
  /** Villages renamed or moved, with their devices as they are now. */
  villages: string[];
  /** The rows read, for the other aggregates' images (coverage, maintenance, hub runs). */
  image: RegistryImage;
}

/** The identity fields of a device a change is reported by (`device.updated`'s `changes`). */
export const IDENTITY_FIELDS = [
  'name',
  'village',
  'villageId',
  'siteId',
  'parentId',
  'tags',
  'intervalS',
  'disabled',
] as const satisfies ReadonlyArray<keyof DeviceRecord>;

export function changedFields(before: DeviceRecord, after: DeviceRecord): string[] {
  return IDENTITY_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}
