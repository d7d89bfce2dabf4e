// The ordered write path against a real PostgreSQL (the global setup's server, a database of its own).
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../contract/harness.ts';
import { WriteJournal } from './write-journal.ts';

describe('WriteJournal (real PostgreSQL)', () => {
  let pool: pg.Pool;
  let journal: WriteJournal;
  const failed: number[] = [];
  const rows = async () =>
    (await pool.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((r) => r.n);

  beforeEach(async () => {
    pool = new pg.Pool({ connectionString: await createTestDatabase() });
    await pool.query('CREATE TABLE t (n INTEGER PRIMARY KEY)');
    failed.length = 0;
    journal = new WriteJournal(pool, { onFailure: (_err, statements) => failed.push(statements) });
  });
  afterEach(async () => {
    await journal.close();
    await pool.end();
  });

  it('writes batches in order, each batch all or nothing', async () => {
    for (let i = 0; i < 50; i++) journal.write('INSERT INTO t (n) VALUES ($1)', [i]);
    journal.batch(() => {
      journal.write('INSERT INTO t (n) VALUES ($1)', [100]);
      journal.write('INSERT INTO t (n) VALUES ($1)', [101]);
    });
    await journal.durable();
    expect(await rows()).toEqual([...Array.from({ length: 50 }, (_, i) => i), 100, 101]);
  });

  it('a batch that throws while being built queues nothing', async () => {
    expect(() =>
      journal.batch(() => {
        journal.write('INSERT INTO t (n) VALUES ($1)', [1]);
        throw new Error('refused by the caller');
      }),
    ).toThrow('refused by the caller');
    journal.write('INSERT INTO t (n) VALUES ($1)', [2]);
    await journal.durable();
    expect(await rows()).toEqual([2]);
  });

  it('a batch the server refuses fails alone: counted, its caller told, the batches around it written', async () => {
    journal.write('INSERT INTO t (n) VALUES ($1)', [1]);
    journal.batch(() => {
      journal.write('INSERT INTO t (n) VALUES ($1)', [2]);
      journal.write('INSERT INTO t (n) VALUES ($1)', [1]); // duplicate key: the whole batch is refused
    });
    const refused = journal.durable();
    journal.write('INSERT INTO t (n) VALUES ($1)', [3]);
    const after = journal.durable();
    await expect(refused).rejects.toMatchObject({ code: '23505' });
    await after;
    expect(await rows()).toEqual([1, 3]);
    expect(failed).toEqual([2]);
    expect(journal.failures).toBe(1);
    // Later durable() calls are about later writes: the settled failure is not reported again.
    await expect(journal.durable()).resolves.toBeUndefined();
  });

  it('writes hostile text exactly when statements are sent together as literals', async () => {
    await pool.query('CREATE TABLE s (n INTEGER, v TEXT, x BIGINT)');
    const hostile = [
      "O'Brien",
      'back\\slash',
      '$1 $2 $$ $tag$',
      "'); DROP TABLE t; --",
      'Thôn Đông 2 😀',
      '',
    ];
    journal.batch(() => {
      for (const [i, v] of hostile.entries()) {
        journal.write('INSERT INTO s (n, v, x) VALUES ($1, $2, $3)', [i, v, null]);
      }
      journal.write('INSERT INTO s (n, v, x) VALUES ($1, $2, $3)', [99, null, 2 ** 52 + 1]);
    });
    await journal.durable();
    const got = (await pool.query('SELECT n, v, x FROM s ORDER BY n')).rows.map((r) => ({
      ...r,
      x: r.x === null ? null : Number(r.x),
    }));
    expect(got).toEqual([
      ...hostile.map((v, i) => ({ n: i, v, x: null })),
      { n: 99, v: null, x: 2 ** 52 + 1 },
    ]);
    expect(await rows()).toEqual([]);
  });

  it('close() writes what is queued, then refuses (and counts) further writes', async () => {
    for (let i = 0; i < 10; i++) journal.write('INSERT INTO t (n) VALUES ($1)', [i]);
    await journal.close();
    expect(await rows()).toHaveLength(10);
    journal.write('INSERT INTO t (n) VALUES ($1)', [99]);
    expect(journal.failures).toBe(1);
  });
});

/** A pool whose every statement succeeds at once: the journal's own bookkeeping, no server. */
function instantPool(sent: string[]): pg.Pool {
  const client = {
    query: async (sql: string) => {
      sent.push(sql);
      return { rows: [] };
    },
    release: () => {},
    escapeLiteral: (s: string) => `'${s.replaceAll("'", "''")}'`,
  };
  return { connect: async () => client } as unknown as pg.Pool;
}

describe('WriteJournal (drain bookkeeping)', () => {
  it('a batch queued by an awaiter of the batch just written is written too, with nothing after it', async () => {
    // The HUB_WORKERS=2 quick bench hang: the drain that wrote batch 1 was still marked running while
    // batch 1's awaiters ran, so batch 2, queued by one of them at once, started no drain of its own and
    // its durable() never settled. In the hub: the uptime plugin's save() every second does
    // `await coverage.flush(); hubRuns.markAlive()` — the hub_runs UPDATE was stranded, and on a quiet
    // node the group commit's coverage step (and every PUBACK behind it) awaited it for ever.
    const sent: string[] = [];
    const journal = new WriteJournal(instantPool(sent), { onFailure: () => {} });
    journal.write('INSERT INTO t (n) VALUES ($1)', [1]);
    let second: Promise<void> | undefined;
    await journal.durable().then(() => {
      journal.write('INSERT INTO t (n) VALUES ($1)', [2]);
      second = journal.durable();
    });
    let written = false;
    void second?.then(() => {
      written = true;
    });
    // The pool answers in microtasks only: once a macrotask comes round, every write queued is written.
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.pending).toBe(0);
    expect(written).toBe(true);
    expect(sent.filter((s) => s.startsWith('INSERT'))).toEqual([
      'INSERT INTO t (n) VALUES (1)',
      'INSERT INTO t (n) VALUES (2)',
    ]);
    await journal.close();
  });

  it('settled() and close() return once a write queued that way is written', async () => {
    const sent: string[] = [];
    const journal = new WriteJournal(instantPool(sent), { onFailure: () => {} });
    journal.write('INSERT INTO t (n) VALUES ($1)', [1]);
    void journal.durable().then(() => journal.write('INSERT INTO t (n) VALUES ($1)', [2]));
    await journal.settled();
    await journal.close();
    expect(journal.pending).toBe(0);
    expect(sent.filter((s) => s.startsWith('INSERT'))).toHaveLength(2);
  });
});
