import Database from 'better-sqlite3';
import pg from 'pg';
import { alertDeliveryMigrations } from '../../alert-delivery/migrations.ts';
import { alertsMigrations } from '../../alerts/migrations.ts';
import { criteriaMigrations } from '../../criteria/migrations.ts';
import type { Logger } from '../../logger.ts';
import { probesMigrations } from '../../probes/migrations.ts';
import { IdBlocks } from './id-blocks.ts';
// BIGINT columns as numbers, as the replica holds them (the parser is set where the pool is opened).
import './pool.ts';
import { ensureSharedSchema, SHARED_TABLES, type SharedTable } from './shared-schema.ts';
import { WRITE_LOCK, WriteJournal } from './write-journal.ts';

/** The PostgreSQL channel a node notifies after committing shared rows (payload: its node id). */
export const SHARED_CHANNEL = 'hub_shared';

/** Rows other nodes changed, by table: the replica already holds them when listeners hear of it. */
export type SharedChanges = Map<string, Set<string | number>>;

type Row = Record<string, unknown>;
const q = (id: string) => `"${id}"`;

/**
 * Alerting, alert delivery, criteria and probe targets on PostgreSQL for a cluster (HUB_DB=postgres).
 *
 * Their stores are synchronous over better-sqlite3 and stay so: each node holds an in-memory SQLite
 * replica of the shared rows (made by the same steps 5–8, filled from PostgreSQL at boot) and hands it to
 * the stores as their database. Every write a store makes there is captured by TEMP triggers (which row of
 * which table), and after the statement or transaction the rows as they now are go to PostgreSQL on the
 * ordered write path (one batch per transaction, `NOTIFY hub_shared`). Other nodes read what changed by
 * `change_seq` (a notification is a wake-up; a poll covers a lost one), apply it to their replica and tell
 * the modules (`onChange`). Capturing rows rather than translating statements keeps every store's SQL as
 * it is (json_each, named parameters, upserts), and integer ids come from id blocks so two nodes never
 * insert the same id.
 */
export class SharedTables {
  readonly database: Database.Database;
  private readonly raw: Database.Database;
  private readonly columns = new Map<string, string[]>();
  private readonly tables = new Map<string, SharedTable>();
  private readonly listeners: Array<(changes: SharedChanges) => void> = [];
  private changeSeq = 0;
  private listener: pg.Client | undefined;
  private poll: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    /** Marks this process's rows (a node restarted under the same name is another writer). */
    private readonly origin: string,
    /** The cluster node id, for delivery claims (checked against the node leases). */
    private readonly nodeId: string,
    private ids: IdBlocks,
    private readonly journal: WriteJournal,
    private readonly log: Logger,
  ) {
    this.raw = new Database(':memory:');
    for (const step of [
      ...alertsMigrations,
      ...alertDeliveryMigrations,
      ...criteriaMigrations,
      ...probesMigrations,
    ]) {
      if (typeof step.up === 'string') this.raw.exec(step.up);
      else step.up(this.raw);
    }
    this.raw.exec('CREATE TEMP TABLE shared_changes (n INTEGER PRIMARY KEY, tbl TEXT NOT NULL, k)');
    for (const t of SHARED_TABLES) {
      this.tables.set(t.name, t);
      const cols = (this.raw.prepare(`PRAGMA table_info(${t.name})`).all() as Array<{ name: string }>).map(
        (c) => c.name,
      );
      this.columns.set(t.name, cols);
      for (const [when, row] of [
        ['INSERT', 'NEW'],
        ['UPDATE', 'NEW'],
        ['DELETE', 'OLD'],
      ] as const) {
        this.raw.exec(
          `CREATE TEMP TRIGGER shared_${t.name}_${when.toLowerCase()} AFTER ${when} ON main.${t.name}
           BEGIN INSERT INTO shared_changes (tbl, k) VALUES ('${t.name}', ${row}.${t.key}); END`,
        );
      }
    }
    this.database = this.wrap(this.raw);
  }

  /** Creates the shared tables if needed, reads them whole into a fresh replica and starts following. */
  static async open(
    pool: pg.Pool,
    url: string,
    origin: string,
    nodeId: string,
    log: Logger,
    onWriteFailure: (err: Error, statements: number) => void,
  ): Promise<SharedTables> {
    await ensureSharedSchema(pool);
    const ids = await IdBlocks.open(pool);
    const journal = new WriteJournal(pool, {
      onFailure: onWriteFailure,
      notify: { channel: SHARED_CHANNEL, payload: origin },
    });
    const shared = new SharedTables(pool, url, origin, nodeId, ids, journal, log);
    await shared.read(true);
    await shared.listen();
    return shared;
  }

  /** Called with what other nodes changed, after the replica took it. */
  onChange(listener: (changes: SharedChanges) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Settles when this node's writes so far are committed in PostgreSQL (rejects if the last was refused). */
  durable(): Promise<void> {
    return this.journal.durable();
  }

  /**
   * A fresh id block (a new leader's ids then follow every id the old leader handed out, so the outgoing
   * queue's order by id stays the order messages were made in).
   */
  async renewIds(): Promise<void> {
    this.ids = await IdBlocks.open(this.pool);
  }

  /**
   * Claims try `attempt` of outgoing message `deliveryId` for this node before it is sent. False when a
   * living node claimed it (it is sending it; its outcome arrives with its rows). A claim of a node that
   * died is taken over: it may have died before sending, and a lost notification is worse than a repeat
   * of one whose send and record a crash split.
   */
  async claimDelivery(deliveryId: number, attempt: number, at: number, alive: (node: string) => boolean) {
    const mine = await this.pool.query(
      `INSERT INTO alert_delivery_claims (delivery_id, attempt, node, at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (delivery_id, attempt) DO NOTHING RETURNING node`,
      [deliveryId, attempt, this.nodeId, at],
    );
    if (mine.rowCount === 1) return true;
    const { rows } = await this.pool.query<{ node: string }>(
      'SELECT node FROM alert_delivery_claims WHERE delivery_id = $1 AND attempt = $2',
      [deliveryId, attempt],
    );
    const holder = rows[0]?.node;
    if (holder === undefined || holder === this.nodeId) return true;
    if (alive(holder)) return false;
    const taken = await this.pool.query(
      'UPDATE alert_delivery_claims SET node = $3, at = $4 WHERE delivery_id = $1 AND attempt = $2 AND node = $5',
      [deliveryId, attempt, this.nodeId, at, holder],
    );
    if (taken.rowCount === 1)
      this.log.warn({ deliveryId, attempt, deadNode: holder }, 'delivery claim taken over');
    return taken.rowCount === 1;
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.reading;
    await this.journal.close();
    await this.listener?.end().catch(() => {});
    this.raw.close();
  }

  // ---- writes: capture, then queue the rows as they now are

  private wrap(raw: Database.Database): Database.Database {
    const prepare = (sql: string) => this.prepare(sql);
    const transaction = (fn: (...a: unknown[]) => unknown) => {
      const tx = raw.transaction(fn);
      return (...args: unknown[]) => {
        const result = tx(...args);
        if (!raw.inTransaction) this.flush();
        return result;
      };
    };
    return new Proxy(raw, {
      get(target, prop) {
        if (prop === 'prepare') return prepare;
        if (prop === 'transaction') return transaction;
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private prepare(sql: string): Database.Statement {
    const insert = /^\s*INSERT INTO (\w+)\s*\(\s*(\w+)/i.exec(sql);
    const table = insert ? this.tables.get(insert[1]!) : undefined;
    const named = /VALUES\s*\(\s*@/i.test(sql);
    const withId =
      table?.autoId && insert![2] !== 'id' && insert![2] !== 'rowid'
        ? sql
            .replace(/^(\s*INSERT INTO \w+\s*\()/i, `$1${table.key}, `)
            .replace(/VALUES\s*\(/i, named ? 'VALUES (@__id, ' : 'VALUES (?, ')
        : undefined;
    const stmt = this.raw.prepare(withId ?? sql);
    if (stmt.reader) return stmt;
    const run = stmt.run.bind(stmt) as (...p: unknown[]) => Database.RunResult;
    const patched = (...params: unknown[]): Database.RunResult => {
      let args = params;
      if (withId) {
        const id = this.ids.take();
        args =
          named && typeof params[0] === 'object' && params[0] !== null
            ? [{ ...(params[0] as Row), __id: id }, ...params.slice(1)]
            : [id, ...params];
      }
      const info = run(...args);
      if (!this.raw.inTransaction) this.flush();
      return info;
    };
    (stmt as unknown as { run: typeof patched }).run = patched;
    return stmt;
  }

  private flush(): void {
    const changed = this.raw
      .prepare('SELECT tbl, k, MIN(n) AS n FROM shared_changes GROUP BY tbl, k ORDER BY n')
      .all() as Array<{ tbl: string; k: string | number }>;
    if (changed.length === 0) return;
    this.raw.prepare('DELETE FROM shared_changes').run();
    this.journal.batch(() => {
      for (const { tbl, k } of changed) {
        const t = this.tables.get(tbl)!;
        const cols = this.columns.get(tbl)!;
        const row = this.raw
          .prepare(`SELECT ${t.key === 'rowid' ? 'rowid AS rowid, ' : ''}* FROM ${tbl} WHERE ${t.key} = ?`)
          .get(k) as Row | undefined;
        const pgKey = t.pgKey ?? t.key;
        if (row) {
          const names = [...(t.key === 'rowid' ? [pgKey] : []), ...cols, 'origin'];
          const values = [...(t.key === 'rowid' ? [row.rowid] : []), ...cols.map((c) => row[c]), this.origin];
          const set = names.filter((n) => n !== pgKey).map((n) => `${q(n)} = EXCLUDED.${q(n)}`);
          this.journal.write(
            `INSERT INTO ${tbl} (${names.map(q).join(', ')}, change_seq)
             VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}, nextval('hub_shared_seq'))
             ON CONFLICT (${q(pgKey)}) DO UPDATE SET ${set.join(', ')}, change_seq = EXCLUDED.change_seq`,
            values,
          );
        } else {
          this.journal.write(`DELETE FROM ${tbl} WHERE ${q(pgKey)} = $1`, [t.autoId ? Number(k) : String(k)]);
          this.journal.write(
            `INSERT INTO hub_shared_deleted (tbl, k, origin, change_seq) VALUES ($1, $2, $3, nextval('hub_shared_seq'))`,
            [tbl, String(k), this.origin],
          );
        }
      }
    });
  }

  // ---- following other nodes

  private async listen(): Promise<void> {
    const poll = () => this.wake();
    this.poll = setInterval(poll, 2000);
    this.poll.unref();
    try {
      const client = new pg.Client({ connectionString: this.url, application_name: 'commune-hub-shared' });
      client.on('error', () => {
        this.listener = undefined; // the poll keeps the replica following until the next start
      });
      client.on('notification', (n) => {
        if (n.payload !== this.origin) this.wake();
      });
      await client.connect();
      await client.query(`LISTEN ${SHARED_CHANNEL}`);
      this.listener = client;
    } catch (err) {
      this.log.warn({ err }, 'LISTEN hub_shared failed; following by polling only');
    }
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.read(false)
      .catch((err) => this.log.warn({ err }, 'reading shared rows failed; retrying at the next poll'))
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Reads rows changed after `changeSeq` (all of them at boot), under the writers' lock shared. */
  private async read(all: boolean): Promise<void> {
    if (!all) {
      // The poll's common case, nothing new: one look at the sequence, no lock the writers would wait on.
      const s = await this.pool.query<{ last_value: number; is_called: boolean }>(
        'SELECT last_value, is_called FROM hub_shared_seq',
      );
      if (!s.rows[0]!.is_called || s.rows[0]!.last_value <= this.changeSeq) return;
    }
    const client = await this.pool.connect();
    const found: Array<{ tbl: string; row: Row | undefined; k: string | number; seq: number }> = [];
    let seq = this.changeSeq;
    try {
      await client.query('SELECT pg_advisory_lock_shared($1)', [WRITE_LOCK]);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const s = await client.query<{ last_value: number; is_called: boolean }>(
        'SELECT last_value, is_called FROM hub_shared_seq',
      );
      seq = s.rows[0]!.is_called ? s.rows[0]!.last_value : 0;
      const others = all ? '' : ' AND origin <> $2';
      const params = all ? [this.changeSeq] : [this.changeSeq, this.origin];
      for (const t of SHARED_TABLES) {
        const { rows } = await client.query<Row>(
          `SELECT * FROM ${t.name} WHERE change_seq > $1${others} ORDER BY change_seq`,
          params,
        );
        for (const row of rows)
          found.push({ tbl: t.name, row, k: row[t.pgKey ?? t.key] as string, seq: Number(row.change_seq) });
      }
      if (!all) {
        const { rows } = await client.query<{ tbl: string; k: string; change_seq: number }>(
          `SELECT tbl, k, change_seq FROM hub_shared_deleted WHERE change_seq > $1${others}`,
          params,
        );
        for (const r of rows) {
          const t = this.tables.get(r.tbl);
          if (t)
            found.push({ tbl: r.tbl, row: undefined, k: t.autoId ? Number(r.k) : r.k, seq: r.change_seq });
        }
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      await client.query('SELECT pg_advisory_unlock_shared($1)', [WRITE_LOCK]).catch(() => {});
      client.release();
    }
    this.changeSeq = Math.max(this.changeSeq, seq);
    if (found.length === 0 || this.stopped) return;
    found.sort((a, b) => a.seq - b.seq);
    const changes: SharedChanges = new Map();
    this.raw.transaction(() => {
      for (const f of found) {
        this.apply(f.tbl, f.k, f.row);
        const keys = changes.get(f.tbl) ?? new Set();
        keys.add(f.k);
        changes.set(f.tbl, keys);
      }
      // What was applied is other nodes' writes: nothing to send back.
      this.raw.prepare('DELETE FROM shared_changes').run();
    })();
    if (all) return;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (err) {
        this.log.error({ err }, 'a listener of shared changes failed');
      }
    }
  }

  /** One row as another node left it: inserted, or only its changed columns updated (criteria reports'
   * frozen columns must not even be named in an UPDATE), or deleted. */
  private apply(tbl: string, k: string | number, row: Row | undefined): void {
    const t = this.tables.get(tbl)!;
    const cols = this.columns.get(tbl)!;
    if (!row) {
      this.raw.prepare(`DELETE FROM ${tbl} WHERE ${t.key} = ?`).run(k);
      return;
    }
    const local = this.raw
      .prepare(`SELECT ${t.key === 'rowid' ? 'rowid AS rowid, ' : ''}* FROM ${tbl} WHERE ${t.key} = ?`)
      .get(k) as Row | undefined;
    if (!local) {
      const names = [...(t.key === 'rowid' ? ['rowid'] : []), ...cols];
      this.raw
        .prepare(`INSERT INTO ${tbl} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
        .run(...names.map((n) => (n === 'rowid' ? row[t.pgKey!] : row[n])));
      return;
    }
    const changed = cols.filter((c) => local[c] !== row[c]);
    if (changed.length === 0) return;
    this.raw
      .prepare(`UPDATE ${tbl} SET ${changed.map((c) => `${c} = ?`).join(', ')} WHERE ${t.key} = ?`)
      .run(...changed.map((c) => row[c]), k);
  }
}
