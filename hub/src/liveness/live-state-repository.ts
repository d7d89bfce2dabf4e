import { atomically, type RegistryStorage, statement } from '../db/registry-storage.ts';
import type { PersistedLiveState } from '../registry/registry.ts';

type LiveStates = ReadonlyArray<{ id: string; live: PersistedLiveState }>;

/**
 * Liveness's columns of `devices` (status, since, reason, last heartbeat, metrics, faults): written in
 * batches on a timer, never per heartbeat, so a restart resumes from the last saved state. On SQLite one
 * transaction of prepared updates; on PostgreSQL one statement over arrays, queued write-behind (live
 * state is not an identity change: it does not bump `change_seq`; other nodes hear it as events).
 */
export class LiveStateRepository {
  private readonly saveAll: (states: LiveStates) => void;

  constructor(storage: RegistryStorage) {
    if (storage.dialect === 'sqlite') {
      const update = statement(
        storage,
        `UPDATE devices SET status = ?, status_since = ?, status_reason = ?, last_ts = ?, last_seq = ?,
           metrics_json = ?, faults_json = ? WHERE id = ?`,
        '',
      );
      this.saveAll = (states) =>
        atomically(storage, () => {
          for (const { id, live } of states) {
            update(
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
    } else {
      const { journal } = storage;
      this.saveAll = (states) =>
        journal.write(
          `UPDATE devices AS d SET status = u.status, status_since = u.since, status_reason = u.reason,
             last_ts = u.last_ts, last_seq = u.last_seq, metrics_json = u.metrics, faults_json = u.faults
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[],
             $7::text[], $8::text[]) AS u(id, status, since, reason, last_ts, last_seq, metrics, faults)
           WHERE d.id = u.id`,
          [
            states.map((s) => s.id),
            states.map((s) => s.live.status),
            states.map((s) => s.live.since),
            states.map((s) => s.live.reason),
            states.map((s) => s.live.lastTs),
            states.map((s) => s.live.lastSeq),
            states.map((s) => JSON.stringify(s.live.metrics)),
            states.map((s) => JSON.stringify(s.live.faults)),
          ],
        );
    }
  }

  /** Saves many devices' live state in one transaction (SQLite) or one queued statement (PostgreSQL). */
  save(states: LiveStates): void {
    if (states.length > 0) this.saveAll(states);
  }
}
