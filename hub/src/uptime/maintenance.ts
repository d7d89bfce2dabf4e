import type Database from 'better-sqlite3';
import type { Interval } from './intervals.ts';

export interface MaintenanceWindow extends Interval {
  id: number;
  deviceId: string;
  note: string;
}

/** Scheduled maintenance windows per device: excluded from uptime, shown as `maintenance` live. */
export class MaintenanceStore {
  private readonly byDevice = new Map<string, MaintenanceWindow[]>();
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      insert: db.prepare('INSERT INTO maintenance (device_id, start, end, note) VALUES (?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM maintenance WHERE id = ?'),
      all: db.prepare('SELECT id, device_id AS deviceId, start, end, note FROM maintenance ORDER BY start'),
    };
    for (const w of this.stmts.all.all() as MaintenanceWindow[]) this.remember(w);
  }

  private remember(w: MaintenanceWindow): void {
    const list = this.byDevice.get(w.deviceId) ?? [];
    list.push(w);
    list.sort((a, b) => a.start - b.start);
    this.byDevice.set(w.deviceId, list);
  }

  add(deviceId: string, start: number, end: number, note: string): MaintenanceWindow {
    const id = Number(this.stmts.insert.run(deviceId, start, end, note).lastInsertRowid);
    const w = { id, deviceId, start, end, note };
    this.remember(w);
    return w;
  }

  remove(id: number): boolean {
    let found = false;
    for (const [deviceId, list] of this.byDevice) {
      const rest = list.filter((w) => w.id !== id);
      if (rest.length !== list.length) {
        found = true;
        this.byDevice.set(deviceId, rest);
      }
    }
    this.stmts.remove.run(id);
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
