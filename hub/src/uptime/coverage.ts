import type Database from 'better-sqlite3';
import type { Interval } from './intervals.ts';

/**
 * The coverage record's API, the same on both dialects: SQLite (`SqliteCoverageStore`, below) and
 * PostgreSQL (`ImageCoverageStore`, ./coverage-image.ts). `flush()` returns a promise when the write is
 * not synchronous (PostgreSQL): group commit waits for it before acknowledging heartbeats.
 */
export interface CoverageStore {
  addHeartbeat(deviceId: string, ts: number, graceMs: number): void;
  addCut(deviceId: string, at: number): void;
  flush(): void | Promise<void>;
  covered(deviceId: string, from: number, to: number): Interval[];
}

interface OpenSegment {
  rowid: number;
  start: number;
  end: number;
  /** An explicit offline event at this time closed the segment: nothing before it may reach past it. */
  cap: number | null;
  dirty: boolean;
}

/**
 * The time each device's heartbeats vouch for, kept as merged segments in the registry database, so
 * uptime over a year is a handful of rows, not a million heartbeats. A heartbeat at `ts` vouches for
 * [ts, ts + grace), cut short by the next explicit offline event (disconnect, shutdown).
 *
 * In-order heartbeats (the common case) only move the end of the device's newest segment in memory;
 * dirty segments are written in one transaction by `flush()`. A late heartbeat (from an agent's buffer,
 * older than the newest segment) is merged into the stored segments at once.
 */
export class SqliteCoverageStore implements CoverageStore {
  private readonly open = new Map<string, OpenSegment>();
  /** Segments moved since their last write: flush() runs every group commit, so it must not scan them all. */
  private readonly dirty = new Set<OpenSegment>();
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      last: db.prepare(
        'SELECT rowid, start, end, cap FROM coverage WHERE device_id = ? ORDER BY start DESC LIMIT 1',
      ),
      insert: db.prepare('INSERT INTO coverage (device_id, start, end, cap) VALUES (?, ?, ?, ?)'),
      update: db.prepare('UPDATE coverage SET start = ?, end = ?, cap = ? WHERE rowid = ?'),
      overlapping: db.prepare(
        'SELECT rowid, start, end FROM coverage WHERE device_id = ? AND start <= ? AND end >= ? ORDER BY start',
      ),
      delete: db.prepare('DELETE FROM coverage WHERE rowid = ?'),
      nextCut: db.prepare('SELECT MIN(at) FROM offline_cuts WHERE device_id = ? AND at > ?').pluck(),
      insertCut: db.prepare('INSERT INTO offline_cuts (device_id, at) VALUES (?, ?)'),
      range: db.prepare(
        'SELECT start, end FROM coverage WHERE device_id = ? AND start < ? AND end > ? ORDER BY start',
      ),
    };
  }

  private newest(deviceId: string): OpenSegment | undefined {
    let seg = this.open.get(deviceId);
    if (!seg) {
      const row = this.stmts.last.get(deviceId) as
        | { rowid: number; start: number; end: number; cap: number | null }
        | undefined;
      if (!row) return undefined;
      seg = { ...row, dirty: false };
      this.open.set(deviceId, seg);
    }
    return seg;
  }

  addHeartbeat(deviceId: string, ts: number, graceMs: number): void {
    const seg = this.newest(deviceId);
    if (!seg || ts < seg.start) {
      this.addLate(deviceId, ts, graceMs);
      return;
    }
    const cap = seg.cap ?? Number.POSITIVE_INFINITY;
    if (ts < cap && ts <= seg.end) {
      // The common case: the next heartbeat of a device that is up extends its newest segment.
      const end = Math.min(ts + graceMs, cap);
      if (end > seg.end) {
        seg.end = end;
        seg.dirty = true;
        this.dirty.add(seg);
      }
      return;
    }
    // A gap (or a heartbeat after an explicit offline): a new segment, itself cut by any later offline event.
    this.flushOne(seg);
    const nextCut = this.stmts.nextCut.get(deviceId, ts) as number | null;
    const end = Math.min(ts + graceMs, nextCut ?? Number.POSITIVE_INFINITY);
    const rowid = Number(this.stmts.insert.run(deviceId, ts, end, nextCut).lastInsertRowid);
    this.open.set(deviceId, { rowid, start: ts, end, cap: nextCut, dirty: false });
  }

  /** A heartbeat older than the newest segment: merged into the stored record in one transaction. */
  private addLate(deviceId: string, ts: number, graceMs: number): void {
    const open = this.open.get(deviceId);
    if (open) this.flushOne(open);
    this.open.delete(deviceId);
    const nextCut = this.stmts.nextCut.get(deviceId, ts) as number | null;
    const end = Math.min(ts + graceMs, nextCut ?? Number.POSITIVE_INFINITY);
    this.db.transaction(() => {
      const hits = this.stmts.overlapping.all(deviceId, end, ts) as Array<{
        rowid: number;
        start: number;
        end: number;
      }>;
      let start = ts;
      let stop = end;
      for (const h of hits) {
        start = Math.min(start, h.start);
        stop = Math.max(stop, h.end);
        this.stmts.delete.run(h.rowid);
      }
      // Segments never span an offline event, so the next one after the merged start is its cap.
      const cap = this.stmts.nextCut.get(deviceId, start) as number | null;
      this.stmts.insert.run(deviceId, start, stop, cap);
    })();
  }

  /** An explicit offline event: the newest segment ends here, whatever its heartbeats vouched for. */
  addCut(deviceId: string, at: number): void {
    this.stmts.insertCut.run(deviceId, at);
    const seg = this.newest(deviceId);
    if (seg && seg.start <= at && (seg.cap === null || at < seg.cap)) {
      seg.cap = at;
      seg.end = Math.min(seg.end, at);
      seg.dirty = true;
      this.dirty.add(seg);
      this.flushOne(seg);
    }
  }

  private flushOne(seg: OpenSegment): void {
    if (!seg.dirty) return;
    this.stmts.update.run(seg.start, seg.end, seg.cap, seg.rowid);
    seg.dirty = false;
    this.dirty.delete(seg);
  }

  /**
   * Writes every moved segment end in one transaction. Also the group commit's step (../store/group-commit.ts):
   * a heartbeat is acknowledged only once the time it vouches for is on disk. A segment is marked clean only
   * after the commit, so a failed one is written again next time.
   */
  flush(): void {
    if (this.dirty.size === 0) return;
    const dirty = [...this.dirty];
    this.db.transaction(() => {
      for (const seg of dirty) this.stmts.update.run(seg.start, seg.end, seg.cap, seg.rowid);
    })();
    for (const seg of dirty) {
      seg.dirty = false;
      this.dirty.delete(seg);
    }
  }

  /** Covered time of one device overlapping [from, to). */
  covered(deviceId: string, from: number, to: number): Interval[] {
    this.flush();
    return this.stmts.range.all(deviceId, to, from) as Interval[];
  }
}
