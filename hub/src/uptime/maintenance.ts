import type { MaintenanceRow } from '../db/postgres/registry-image.ts';
import { atomically, type RegistryStorage, statement } from '../db/registry-storage.ts';
import type { Interval } from './intervals.ts';

export interface MaintenanceWindow extends Interval {
  id: number;
  deviceId: string;
  note: string;
}

/**
 * Scheduled maintenance windows per device: excluded from uptime, shown as `maintenance` live. Kept in
 * memory and written through (SQLite at once; PostgreSQL on the ordered write path, ids from reserved
 * blocks, a deletion recorded in `hub_deleted` so other nodes drop the window too).
 */
export class MaintenanceStore {
  private readonly byDevice = new Map<string, MaintenanceWindow[]>();
  private readonly insert: (deviceId: string, start: number, end: number, note: string) => number;
  private readonly removeRow: (id: number) => void;

  constructor(storage: RegistryStorage) {
    if (storage.dialect === 'sqlite') {
      const { db } = storage;
      const insert = db.prepare('INSERT INTO maintenance (device_id, start, end, note) VALUES (?, ?, ?, ?)');
      this.insert = (deviceId, start, end, note) =>
        Number(insert.run(deviceId, start, end, note).lastInsertRowid);
      this.removeRow = statement(storage, 'DELETE FROM maintenance WHERE id = ?', '');
      const rows = db.prepare('SELECT id, device_id, start, end, note FROM maintenance ORDER BY start').all();
      this.load(rows as MaintenanceRow[]);
    } else {
      const insert = statement(
        storage,
        '',
        'INSERT INTO maintenance (id, device_id, start, "end", note) VALUES ($1, $2, $3, $4, $5)',
      );
      const remove = statement(storage, '', 'DELETE FROM maintenance WHERE id = $1');
      const tombstone = statement(
        storage,
        '',
        "INSERT INTO hub_deleted (tbl, id) VALUES ('maintenance', $1)",
      );
      this.insert = (deviceId, start, end, note) => {
        const id = storage.ids.take();
        insert(id, deviceId, start, end, note);
        return id;
      };
      this.removeRow = (id) =>
        atomically(storage, () => {
          remove(id);
          tombstone(id);
        });
      this.load(storage.image.maintenance);
    }
  }

  /**
   * Takes windows read from the database (at boot; on PostgreSQL also windows other nodes added or
   * removed since). Returns the devices whose windows changed.
   */
  load(rows: readonly MaintenanceRow[], deletedIds: readonly number[] = []): string[] {
    const changed = new Set<string>();
    for (const id of deletedIds) {
      const w = this.get(id);
      if (w) {
        this.forget(id);
        changed.add(w.deviceId);
      }
    }
    for (const r of rows) {
      if (this.get(r.id)) continue;
      this.remember({ id: r.id, deviceId: r.device_id, start: r.start, end: r.end, note: r.note });
      changed.add(r.device_id);
    }
    return [...changed];
  }

  private remember(w: MaintenanceWindow): void {
    const list = this.byDevice.get(w.deviceId) ?? [];
    list.push(w);
    list.sort((a, b) => a.start - b.start);
    this.byDevice.set(w.deviceId, list);
  }

  private forget(id: number): boolean {
    let found = false;
    for (const [deviceId, list] of this.byDevice) {
      const rest = list.filter((w) => w.id !== id);
      if (rest.length !== list.length) {
        found = true;
        this.byDevice.set(deviceId, rest);
      }
    }
    return found;
  }

  add(deviceId: string, start: number, end: number, note: string): MaintenanceWindow {
    const id = this.insert(deviceId, start, end, note);
    const w = { id, deviceId, start, end, note };
    this.remember(w);
    return w;
  }

  remove(id: number): boolean {
    const found = this.forget(id);
    this.removeRow(id);
    return found;
  }

  get(id: number): MaintenanceWindow | undefined {
    for (const list of this.byDevice.values()) {
      const found = list.find((w) => w.id === id);
      if (found) return found;
    }
    return undefined;
  }

  windows(deviceId: string): readonly MaintenanceWindow[] {
    return this.byDevice.get(deviceId) ?? [];
  }

  /** The window containing `at`, if any. */
  activeAt(deviceId: string, at: number): MaintenanceWindow | undefined {
    return this.windows(deviceId).find((w) => w.start <= at && at < w.end);
  }

  list(from: number, to: number): MaintenanceWindow[] {
    const out: MaintenanceWindow[] = [];
    for (const list of this.byDevice.values())
      for (const w of list) if (w.start < to && w.end > from) out.push(w);
    return out.sort((a, b) => a.start - b.start || a.id - b.id);
  }
}
