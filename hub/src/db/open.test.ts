import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open.ts';

describe('openDatabase', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['journal_mode', 'wal'],
    // NORMAL: a commit survives a crash of the process (the "PUBACK means stored" promise of issue 9).
    ['synchronous', 1],
    // SQLite's default, kept: 10,000 was measured and not adopted (BENCHMARKS.md, "Ingest CPU, 2026-12-01").
    ['wal_autocheckpoint', 1000],
  ])('sets %s to %s', (pragma, expected) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'open-db-'));
    dirs.push(dir);
    const db = openDatabase(dir, 'x.db', [[{ version: 1, owner: 'test', up: 'CREATE TABLE t (x)' }]]);
    try {
      expect(db.pragma(pragma, { simple: true })).toBe(expected);
    } finally {
      db.close();
    }
  });

  it('keeps a commit readable by a second connection before any checkpoint (it is in the WAL)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'open-db-'));
    dirs.push(dir);
    const db = openDatabase(dir, 'x.db', [[{ version: 1, owner: 'test', up: 'CREATE TABLE t (x)' }]]);
    try {
      db.prepare('INSERT INTO t VALUES (?)').run(42);
      const other = openDatabase(dir, 'x.db', [[{ version: 1, owner: 'test', up: 'CREATE TABLE t (x)' }]]);
      try {
        expect(other.prepare('SELECT x FROM t').pluck().all()).toEqual([42]);
      } finally {
        other.close();
      }
    } finally {
      db.close();
    }
  });
});
