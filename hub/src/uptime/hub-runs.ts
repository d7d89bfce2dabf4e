import type { HubRunRow } from '../db/postgres/registry-image.ts';
import { type RegistryStorage, statement } from '../db/registry-storage.ts';

export interface HubRun {
  id: number;
  startedAt: number;
  aliveAt: number;
  stoppedAt: number | null;
}

/**
 * When the hub itself was running, in the registry database: time it was not, and that no heartbeat
 * covers, is `unknown` in uptime, never device downtime. A run that crashed ends at its last alive mark.
 * On PostgreSQL every node records its own runs in the shared table and reads everyone's (`load()` with
 * the rows read again), so "the hub was running" means "some node was running".
 */
export class HubRuns {
  private readonly insert: (now: number) => number;
  private readonly alive;
  private readonly stopRow;
  /** PostgreSQL: the runs as last read, plus this node's own (newest values kept in memory). */
  private readonly runs: Map<number, HubRun> | undefined;
  private readonly own = new Set<number>();
  private readonly overlappingRows: ((to: number, from: number) => HubRunRow[]) | undefined;

  constructor(storage: RegistryStorage) {
    this.alive = statement(
      storage,
      'UPDATE hub_runs SET alive_at = ? WHERE id = ?',
      'UPDATE hub_runs SET alive_at = $1 WHERE id = $2',
    );
    this.stopRow = statement(
      storage,
      'UPDATE hub_runs SET alive_at = ?, stopped_at = ? WHERE id = ?',
      'UPDATE hub_runs SET alive_at = $1, stopped_at = $2 WHERE id = $3',
    );
    if (storage.dialect === 'sqlite') {
      const { db } = storage;
      const start = db.prepare('INSERT INTO hub_runs (started_at, alive_at) VALUES (?, ?)');
      this.insert = (now) => Number(start.run(now, now).lastInsertRowid);
      const overlapping = db.prepare(
        `SELECT id, started_at, alive_at, stopped_at FROM hub_runs
         WHERE started_at < ? AND COALESCE(stopped_at, alive_at) >= ? ORDER BY started_at`,
      );
      this.overlappingRows = (to, from) => overlapping.all(to, from) as HubRunRow[];
    } else {
      const start = statement(
        storage,
        '',
        'INSERT INTO hub_runs (id, started_at, alive_at) VALUES ($1, $2, $3)',
      );
      this.insert = (now) => {
        const id = storage.ids.take();
        start(id, now, now);
        return id;
      };
      this.runs = new Map();
      this.load(storage.image.hubRuns);
    }
  }

  /** PostgreSQL: the runs read again (every node's); this node's own stay as it last wrote them. */
  load(rows: readonly HubRunRow[]): void {
    if (!this.runs) return;
    for (const r of rows) {
      if (this.own.has(r.id)) continue;
      this.runs.set(r.id, {
        id: r.id,
        startedAt: r.started_at,
        aliveAt: r.alive_at,
        stoppedAt: r.stopped_at,
      });
    }
  }

  start(now: number): number {
    const id = this.insert(now);
    this.own.add(id);
    this.runs?.set(id, { id, startedAt: now, aliveAt: now, stoppedAt: null });
    return id;
  }

  markAlive(runId: number, now: number): void {
    this.alive(now, runId);
    const run = this.runs?.get(runId);
    if (run) run.aliveAt = now;
  }

  stop(runId: number, now: number): void {
    this.stopRow(now, now, runId);
    const run = this.runs?.get(runId);
    if (run) {
      run.aliveAt = now;
      run.stoppedAt = now;
    }
  }

  /** Runs overlapping [from, to), oldest first. */
  overlapping(from: number, to: number): HubRun[] {
    if (this.runs) {
      return [...this.runs.values()]
        .filter((r) => r.startedAt < to && (r.stoppedAt ?? r.aliveAt) >= from)
        .sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
    }
    return this.overlappingRows!(to, from).map((r) => ({
      id: r.id,
      startedAt: r.started_at,
      aliveAt: r.alive_at,
      stoppedAt: r.stopped_at,
    }));
  }
}
