import type Database from 'better-sqlite3';

export interface HubRun {
  id: number;
  startedAt: number;
  aliveAt: number;
  stoppedAt: number | null;
}

/**
 * When the hub itself was running, in the registry database: time it was not, and that no heartbeat
 * covers, is `unknown` in uptime, never device downtime. A run that crashed ends at its last alive mark.
 */
export class HubRuns {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      start: db.prepare('INSERT INTO hub_runs (started_at, alive_at) VALUES (?, ?)'),
      alive: db.prepare('UPDATE hub_runs SET alive_at = ? WHERE id = ?'),
      stop: db.prepare('UPDATE hub_runs SET alive_at = ?, stopped_at = ? WHERE id = ?'),
      overlapping: db.prepare(
        `SELECT id, started_at, alive_at, stopped_at FROM hub_runs
         WHERE started_at < ? AND COALESCE(stopped_at, alive_at) >= ? ORDER BY started_at`,
      ),
    };
  }

  start(now: number): number {
    return Number(this.stmts.start.run(now, now).lastInsertRowid);
  }

  markAlive(runId: number, now: number): void {
    this.stmts.alive.run(now, runId);
  }

  stop(runId: number, now: number): void {
    this.stmts.stop.run(now, now, runId);
  }

  /** Runs overlapping [from, to), oldest first. */
  overlapping(from: number, to: number): HubRun[] {
    const rows = this.stmts.overlapping.all(to, from) as Array<{
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
