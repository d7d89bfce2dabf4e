import type Database from 'better-sqlite3';
import type { PersistedLiveState } from '../registry/registry.ts';

/**
 * Liveness's columns of `devices` (status, since, reason, last heartbeat, metrics, faults): written in
 * batches on a timer, never per heartbeat, so a restart resumes from the last saved state. Prepared once.
 */
export class LiveStateRepository {
  private readonly update;
  private readonly saveAll;

  constructor(db: Database.Database) {
    this.update = db.prepare(
      `UPDATE devices SET status = ?, status_since = ?, status_reason = ?, last_ts = ?, last_seq = ?,
         metrics_json = ?, faults_json = ? WHERE id = ?`,
    );
    this.saveAll = db.transaction((states: ReadonlyArray<{ id: string; live: PersistedLiveState }>) => {
      for (const { id, live } of states) {
        this.update.run(
          live.status,
          live.since,
          live.reason,
          live.lastTs,
          live.lastSeq,
          JSON.stringify(live.metrics),
          JSON.stringify(live.faults),
          id,
        );
      }
    });
  }

  /** Saves many devices' live state in one transaction. */
  save(states: ReadonlyArray<{ id: string; live: PersistedLiveState }>): void {
    if (states.length > 0) this.saveAll(states);
  }
}
