import type { CoverageRow, CutRow } from '../db/postgres/registry-image.ts';
import { atomically, type RegistryStorage, statement } from '../db/registry-storage.ts';
import type { CoverageStore } from './coverage.ts';
import type { Interval } from './intervals.ts';

interface Segment {
  id: number;
  start: number;
  end: number;
  cap: number | null;
}

type PostgresStorage = Extract<RegistryStorage, { dialect: 'postgres' }>;

/**
 * The coverage record on PostgreSQL (HUB_DB=postgres): the same merged segments and offline cuts as
 * `SqliteCoverageStore`, with the same rules, kept whole in memory (read at boot) so heartbeats and uptime
 * reads stay synchronous; writes go on the ordered write path. In-order heartbeats only move a segment's
 * end in memory; `flush()` writes the moved ends in one statement and returns when they are committed
 * (group commit waits for it before a PUBACK). Memory: a segment is one outage or restart of one device.
 *
 * Several nodes share the table: `load()` takes rows other nodes wrote (read by `change_seq`), except for
 * devices this node wrote to during the last two reads — for those its own copy is the newer one.
 */
export class ImageCoverageStore implements CoverageStore {
  private readonly segments = new Map<string, Segment[]>();
  private readonly byId = new Map<number, { deviceId: string; seg: Segment }>();
  private readonly cuts = new Map<string, number[]>();
  private readonly dirty = new Set<Segment>();
  private readonly touched = new Map<string, number>();
  private generation = 0;
  private readonly sql;

  constructor(private readonly storage: PostgresStorage) {
    this.sql = {
      insert: statement(
        storage,
        '',
        'INSERT INTO coverage (id, device_id, start, "end", cap) VALUES ($1, $2, $3, $4, $5)',
      ),
      delete: statement(storage, '', 'DELETE FROM coverage WHERE id = $1'),
      tombstone: statement(storage, '', "INSERT INTO hub_deleted (tbl, id) VALUES ('coverage', $1)"),
      insertCut: statement(storage, '', 'INSERT INTO offline_cuts (device_id, at) VALUES ($1, $2)'),
      update: statement(
        storage,
        '',
        `UPDATE coverage AS c SET start = u.start, "end" = u.e, cap = u.cap, change_seq = nextval('hub_change_seq')
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS u(id, start, e, cap)
         WHERE c.id = u.id`,
      ),
    };
    this.load(storage.image.coverage, storage.image.cuts);
  }

  /**
   * Rows read from the database: all at boot; later, rows changed since the last read (every node's,
   * this node's own coming back too). `deletedIds`: segments merged away meanwhile.
   */
  load(rows: readonly CoverageRow[], cuts: readonly CutRow[], deletedIds: readonly number[] = []): void {
    const generation = this.generation++;
    const mine = (deviceId: string) => (this.touched.get(deviceId) ?? -2) >= generation - 1;
    for (const id of deletedIds) {
      const known = this.byId.get(id);
      if (!known || mine(known.deviceId)) continue;
      this.byId.delete(id);
      const list = this.segments.get(known.deviceId) ?? [];
      this.segments.set(
        known.deviceId,
        list.filter((s) => s.id !== id),
      );
    }
    for (const r of rows) {
      if (mine(r.device_id)) continue;
      const known = this.byId.get(r.id);
      if (known) {
        if (this.dirty.has(known.seg)) continue;
        Object.assign(known.seg, { start: r.start, end: r.end, cap: r.cap });
        this.sortSegments(r.device_id);
      } else {
        this.place(r.device_id, { id: r.id, start: r.start, end: r.end, cap: r.cap });
      }
    }
    for (const c of cuts) {
      const list = this.cuts.get(c.device_id) ?? [];
      if (!list.includes(c.at)) this.insertSorted(list, c.at);
      this.cuts.set(c.device_id, list);
    }
  }

  private sortSegments(deviceId: string): void {
    this.segments.get(deviceId)?.sort((a, b) => a.start - b.start);
  }

  private place(deviceId: string, seg: Segment): void {
    const list = this.segments.get(deviceId) ?? [];
    list.push(seg);
    list.sort((a, b) => a.start - b.start);
    this.segments.set(deviceId, list);
    this.byId.set(seg.id, { deviceId, seg });
  }

  private insertSorted(list: number[], at: number): void {
    let i = list.length;
    while (i > 0 && list[i - 1]! > at) i--;
    list.splice(i, 0, at);
  }

  private nextCut(deviceId: string, after: number): number | null {
    for (const at of this.cuts.get(deviceId) ?? []) if (at > after) return at;
    return null;
  }

  private touch(deviceId: string): void {
    this.touched.set(deviceId, this.generation);
  }

  private newSegment(deviceId: string, start: number, end: number, cap: number | null): void {
    const seg = { id: this.storage.ids.take(), start, end, cap };
    this.sql.insert(seg.id, deviceId, start, end, cap);
    this.place(deviceId, seg);
  }

  addHeartbeat(deviceId: string, ts: number, graceMs: number): void {
    this.touch(deviceId);
    const seg = this.segments.get(deviceId)?.at(-1);
    if (!seg || ts < seg.start) {
      this.addLate(deviceId, ts, graceMs);
      return;
    }
    const cap = seg.cap ?? Number.POSITIVE_INFINITY;
    if (ts < cap && ts <= seg.end) {
      const end = Math.min(ts + graceMs, cap);
      if (end > seg.end) {
        seg.end = end;
        this.dirty.add(seg);
      }
      return;
    }
    // A gap (or a heartbeat after an explicit offline): a new segment, itself cut by any later offline event.
    const nextCut = this.nextCut(deviceId, ts);
    this.newSegment(deviceId, ts, Math.min(ts + graceMs, nextCut ?? Number.POSITIVE_INFINITY), nextCut);
  }

  /** A heartbeat older than the newest segment: merged with the segments it touches, in one batch. */
  private addLate(deviceId: string, ts: number, graceMs: number): void {
    const nextCut = this.nextCut(deviceId, ts);
    const end = Math.min(ts + graceMs, nextCut ?? Number.POSITIVE_INFINITY);
    const list = this.segments.get(deviceId) ?? [];
    const hits = list.filter((s) => s.start <= end && s.end >= ts);
    let start = ts;
    let stop = end;
    for (const h of hits) {
      start = Math.min(start, h.start);
      stop = Math.max(stop, h.end);
    }
    atomically(this.storage, () => {
      for (const h of hits) {
        this.sql.delete(h.id);
        this.sql.tombstone(h.id);
        this.dirty.delete(h);
        this.byId.delete(h.id);
      }
      this.segments.set(
        deviceId,
        list.filter((s) => !hits.includes(s)),
      );
      // Segments never span an offline event, so the next one after the merged start is its cap.
      this.newSegment(deviceId, start, stop, this.nextCut(deviceId, start));
    });
  }

  /** An explicit offline event: the newest segment ends here, whatever its heartbeats vouched for. */
  addCut(deviceId: string, at: number): void {
    this.touch(deviceId);
    this.sql.insertCut(deviceId, at);
    const list = this.cuts.get(deviceId) ?? [];
    this.insertSorted(list, at);
    this.cuts.set(deviceId, list);
    const seg = this.segments.get(deviceId)?.at(-1);
    if (seg && seg.start <= at && (seg.cap === null || at < seg.cap)) {
      seg.cap = at;
      seg.end = Math.min(seg.end, at);
      this.dirty.add(seg);
    }
  }

  /**
   * Queues every moved segment in one statement and resolves once it (and everything queued before it)
   * is committed. A segment is marked clean when queued: the write path keeps it, in order, until it is
   * written or counted as failed.
   */
  flush(): Promise<void> {
    if (this.dirty.size > 0) {
      const segs = [...this.dirty];
      this.dirty.clear();
      this.sql.update(
        segs.map((s) => s.id),
        segs.map((s) => s.start),
        segs.map((s) => s.end),
        segs.map((s) => s.cap),
      );
    }
    return this.storage.journal.durable();
  }

  /** Covered time of one device overlapping [from, to). */
  covered(deviceId: string, from: number, to: number): Interval[] {
    return (this.segments.get(deviceId) ?? [])
      .filter((s) => s.start < to && s.end > from)
      .map((s) => ({ start: s.start, end: s.end }));
  }
}
