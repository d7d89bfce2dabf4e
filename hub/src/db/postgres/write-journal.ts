import type pg from 'pg';

export interface JournalStatement {
  sql: string;
  params: readonly unknown[];
}

interface Entry {
  statements: JournalStatement[];
  resolve: () => void;
  reject: (err: Error) => void;
  promise: Promise<void>;
}

export interface WriteJournalOptions {
  /** A batch that could not be written (after retries): log it and count it. */
  onFailure: (err: Error, statements: number) => void;
  /** How long a batch is retried while the server is unreachable before it is given up. */
  retryForMs?: number;
  /** Statements of one PostgreSQL transaction when several queued batches are committed together. */
  maxGroupStatements?: number;
  /**
   * A transaction that changed rows other nodes follow (inserts, deletes, `change_seq` bumps) ends with
   * `NOTIFY <channel>, '<payload>'` (sent at commit), so they read the change at once.
   */
  notify?: { channel: string; payload: string };
}

/** Statements whose change other nodes read (see ./registry-image.ts); live state and run marks are not. */
const FOLLOWED = /INSERT INTO|DELETE FROM|change_seq/;

/** Every write transaction takes this lock first, so commits are serial and `change_seq` grows in commit order. */
export const WRITE_LOCK = 0x48554232; // "HUB2"

/** Statements of scalar parameters sent in one round trip (simple query protocol, literals escaped by pg). */
const INLINE_CHUNK = 200;

type Scalar = string | number | null;
const scalar = (v: unknown): v is Scalar =>
  v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** One statement with its parameters written in as literals (pg's escapeLiteral), or undefined if it has arrays. */
function inline(client: pg.PoolClient, s: JournalStatement): string | undefined {
  if (!s.params.every(scalar)) return undefined;
  return s.sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const v = s.params[Number(n) - 1] as Scalar;
    return v === null ? 'NULL' : typeof v === 'number' ? String(v) : client.escapeLiteral(v);
  });
}

/**
 * Runs the statements in order. Loopback round trips dominate a batch of many small statements (a
 * 2,000-device import, a reconnect storm's new coverage segments), so runs of statements with scalar
 * parameters go INLINE_CHUNK at a time as one multi-statement query; the others (arrays) one by one.
 */
async function runAll(client: pg.PoolClient, statements: readonly JournalStatement[]): Promise<void> {
  let pending: string[] = [];
  const send = async () => {
    if (pending.length > 0) await client.query(pending.join(';\n'));
    pending = [];
  };
  for (const s of statements) {
    const text = inline(client, s);
    if (text === undefined) {
      await send();
      await client.query(s.sql, s.params as unknown[]);
    } else {
      pending.push(text);
      if (pending.length >= INLINE_CHUNK) await send();
    }
  }
  await send();
}

/** SQLSTATE classes that mean "the server or the connection", worth retrying in order; others are the batch's fault. */
function transient(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || /^(08|57P|53)/.test(code);
}

/**
 * The ordered write path to PostgreSQL. The hub's repositories stay synchronous over their in-memory
 * image; each write they make is queued here as a statement, or as a batch that must commit together
 * (`batch()`: a registry transaction, a coverage flush). Batches are written strictly in the order they
 * were queued, on one connection; whatever queued up while one was written is committed in one
 * transaction next (group commit), falling back to one transaction per batch if that fails so one bad
 * batch does not take the others with it. A batch the server refuses is counted (`onFailure`), never
 * retried; one the server could not be reached for is retried in order for `retryForMs`.
 *
 * Callers for whom durability matters (registering a device, rotating a secret) await `durable()`;
 * live state and coverage are write-behind, and `close()` waits for all of it.
 */
export class WriteJournal {
  private readonly queue: Entry[] = [];
  private building: JournalStatement[] | undefined;
  private depth = 0;
  private draining: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();
  private closed = false;
  /** Batches given up on (refused by the server, or unreachable for longer than the retry window). */
  failures = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: WriteJournalOptions,
  ) {}

  /** Queues one statement: into the batch being built, else as a batch of its own. */
  write(sql: string, params: readonly unknown[]): void {
    if (this.building) this.building.push({ sql, params });
    else this.enqueue([{ sql, params }]);
  }

  /**
   * Runs `fn` collecting its writes into one batch, queued when `fn` returns; if it throws, nothing it
   * wrote is queued. Nested calls join the outermost batch.
   */
  batch<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.building = [];
    this.depth++;
    try {
      const result = fn();
      const statements = this.building;
      this.building = undefined;
      if (statements.length > 0) this.enqueue(statements);
      return result;
    } finally {
      this.depth--;
      this.building = undefined;
    }
  }

  /**
   * Settles when everything queued so far is written; rejects if the last batch queued was not. Call it
   * right after the write it is about (a failure already settled is not reported again).
   */
  durable(): Promise<void> {
    return this.last;
  }

  /** Batches waiting to be written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Writes everything queued, then refuses further writes. */
  async close(): Promise<void> {
    await this.settled();
    this.closed = true;
  }

  /** Waits until the queue is empty (never rejects). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueue(statements: JournalStatement[]): void {
    if (this.closed) {
      this.failures++;
      this.options.onFailure(new Error('write after the database was closed'), statements.length);
      return;
    }
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody has to await a write-behind batch: its failure is counted, not an unhandled rejection.
    promise.catch(() => {});
    this.queue.push({ statements, resolve, reject, promise });
    this.last = promise;
    this.draining ??= this.drain();
  }

  /**
   * Writes the queue until it is empty. `draining` is cleared in the same synchronous step that finds the
   * queue empty (this function's own `finally`): cleared a microtask later (a `.finally()` on this
   * promise, or an outer `await`), a batch that an awaiter of the last batch queued at once saw `draining`
   * still set, started no drain, and sat unwritten, its durable() unsettled, until some other write came.
   * The uptime plugin's save() (`await coverage.flush(); hubRuns.markAlive()`, every second) did exactly
   * that. A quiet hub has no other write: every PUBACK after it waited (the HUB_WORKERS=2 quick bench's
   * offline step hung so) and hub_runs.alive_at stopped moving.
   */
  private async drain(): Promise<void> {
    const max = this.options.maxGroupStatements ?? 5000;
    try {
      while (this.queue.length > 0) {
        const group: Entry[] = [this.queue.shift()!];
        let size = group[0]!.statements.length;
        while (this.queue.length > 0 && size + this.queue[0]!.statements.length <= max) {
          const next = this.queue.shift()!;
          size += next.statements.length;
          group.push(next);
        }
        try {
          await this.commitRetrying(group.flatMap((e) => e.statements));
          for (const e of group) e.resolve();
        } catch (err) {
          if (group.length === 1) this.fail(group[0]!, err as Error);
          else {
            for (const e of group) {
              try {
                await this.commitRetrying(e.statements);
                e.resolve();
              } catch (one) {
                this.fail(e, one as Error);
              }
            }
          }
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  private fail(entry: Entry, err: Error): void {
    this.failures++;
    this.options.onFailure(err, entry.statements.length);
    entry.reject(err);
    // The failure goes to whoever awaited this batch, and is counted; later durable() calls are about
    // later writes, not about this one (a refused live-state save must not fail every group commit after).
    if (this.last === entry.promise) this.last = Promise.resolve();
  }

  private async commitRetrying(statements: readonly JournalStatement[]): Promise<void> {
    const deadline = Date.now() + (this.options.retryForMs ?? 30_000);
    for (let delay = 50; ; delay = Math.min(delay * 2, 2000)) {
      try {
        await this.commit(statements);
        return;
      } catch (err) {
        if (!transient(err) || Date.now() + delay > deadline) throw err;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async commit(statements: readonly JournalStatement[]): Promise<void> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      await runAll(client, statements);
      const notify = this.options.notify;
      if (notify && statements.some((s) => FOLLOWED.test(s.sql))) {
        await client.query('SELECT pg_notify($1, $2)', [notify.channel, notify.payload]);
      }
      await client.query('COMMIT');
    } catch (err) {
      broken = transient(err);
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
