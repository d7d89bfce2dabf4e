import type pg from 'pg';
import type { DeviceRow } from '../../registry/device-repository.ts';
import { WRITE_LOCK } from './write-journal.ts';

export interface CommuneRow {
  id: string;
  name: string;
  province: string;
  merged_into: string | null;
}
export interface VillageRow {
  id: string;
  name: string;
  commune_id: string | null;
}
export interface SiteRow {
  id: string;
  name: string;
  village_id: string;
  location_type: string;
}
export interface CoverageRow {
  id: number;
  device_id: string;
  start: number;
  end: number;
  cap: number | null;
}
export interface CutRow {
  device_id: string;
  at: number;
}
export interface MaintenanceRow {
  id: number;
  device_id: string;
  start: number;
  end: number;
  note: string;
}
export interface HubRunRow {
  id: number;
  started_at: number;
  alive_at: number;
  stopped_at: number | null;
}

/**
 * The registry's tables as one consistent read: everything at boot, or what changed after a
 * `change_seq` (other nodes' writes, and this node's own coming back). `changeSeq` is where the next
 * read continues. Hub runs are few and read whole every time.
 */
export interface RegistryImage {
  devices: DeviceRow[];
  communes: CommuneRow[];
  villages: VillageRow[];
  sites: SiteRow[];
  coverage: CoverageRow[];
  cuts: CutRow[];
  maintenance: MaintenanceRow[];
  hubRuns: HubRunRow[];
  /** Rows deleted since (`coverage` merged by a late heartbeat, `maintenance` cancelled). */
  deleted: Array<{ tbl: string; id: number }>;
  changeSeq: number;
}

/**
 * Reads every row changed after `since` (-1: all) in one snapshot. The shared advisory lock waits for
 * the write in flight (writers hold it exclusively, ./write-journal.ts), so every change numbered up to
 * the sequence's value is committed and visible here, and none is skipped by the next read.
 */
export async function readImage(pool: pg.Pool, since = -1): Promise<RegistryImage> {
  const client = await pool.connect();
  // The lock is taken before the transaction: a REPEATABLE READ snapshot is fixed when its first statement
  // starts, so a lock taken inside would leave out what committed while it waited, though the sequence
  // read after it counts those changes — the next read would skip them for good. (C2, issue 15 e2e)
  try {
    await client.query('SELECT pg_advisory_lock_shared($1)', [WRITE_LOCK]);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const seq = await client.query<{ last_value: number; is_called: boolean }>(
      'SELECT last_value, is_called FROM hub_change_seq',
    );
    const q = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = [since]) =>
      (await client.query<R>(sql, params)).rows;
    const image: RegistryImage = {
      devices: await q<DeviceRow>('SELECT * FROM devices WHERE change_seq > $1 ORDER BY ord'),
      communes: await q<CommuneRow>(
        'SELECT id, name, province, merged_into FROM communes WHERE change_seq > $1 ORDER BY ord',
      ),
      villages: await q<VillageRow>(
        'SELECT id, name, commune_id FROM villages WHERE change_seq > $1 ORDER BY ord',
      ),
      sites: await q<SiteRow>(
        'SELECT id, name, village_id, location_type FROM sites WHERE change_seq > $1 ORDER BY ord',
      ),
      coverage: await q<CoverageRow>(
        'SELECT id, device_id, start, "end", cap FROM coverage WHERE change_seq > $1 ORDER BY start',
      ),
      cuts: await q<CutRow>('SELECT device_id, at FROM offline_cuts WHERE change_seq > $1 ORDER BY at'),
      maintenance: await q<MaintenanceRow>(
        'SELECT id, device_id, start, "end", note FROM maintenance WHERE change_seq > $1 ORDER BY start',
      ),
      hubRuns: await q<HubRunRow>(
        'SELECT id, started_at, alive_at, stopped_at FROM hub_runs ORDER BY started_at',
        [],
      ),
      deleted:
        since < 0
          ? []
          : await q<{ tbl: string; id: number }>('SELECT tbl, id FROM hub_deleted WHERE change_seq > $1'),
      changeSeq: seq.rows[0]!.is_called ? seq.rows[0]!.last_value : 0,
    };
    await client.query('COMMIT');
    return image;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.query('SELECT pg_advisory_unlock_shared($1)', [WRITE_LOCK]).catch(() => {});
    client.release();
  }
}
