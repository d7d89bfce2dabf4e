import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Heartbeat } from '@commune-hub/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeqCounter } from '../seq-counter.ts';
import { HeartbeatSpool } from '../spool.ts';
import { makeTempDir, silentLogger } from './helpers.ts';

const hb = (seq: number): Heartbeat => ({
  v: 1,
  ts: 1_000 + seq,
  seq,
  up: seq,
  st: 'ok',
  m: { cpuPct: seq },
});

describe('heartbeat spool', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const open = (maxEntries = 100, maxBytes = 1_000_000): HeartbeatSpool => {
    const spool = new HeartbeatSpool({ dir: tmp.dir, maxEntries, maxBytes, logger: silentLogger });
    spool.open();
    return spool;
  };
  const drainSeqs = (spool: HeartbeatSpool): number[] => {
    const seqs: number[] = [];
    for (let e = spool.takeNext(); e; e = spool.takeNext()) seqs.push(e.seq);
    return seqs;
  };
  beforeEach(() => {
    tmp = makeTempDir('agent-spool-');
  });
  afterEach(() => tmp.cleanup());

  it('drops the oldest entries beyond the count cap, counts them, and keeps that across a restart', () => {
    const spool = open(3);
    for (let seq = 0; seq < 5; seq++) spool.append(hb(seq));
    expect(spool.stats()).toMatchObject({ entries: 3, dropped: 2 });
    expect(drainSeqs(spool)).toEqual([2, 3, 4]);
    expect(drainSeqs(open(3))).toEqual([2, 3, 4]);
  });

  it('caps by bytes as well', () => {
    const oneLine = JSON.stringify(hb(10)).length + 1;
    const spool = open(100, oneLine * 2);
    for (let seq = 10; seq < 14; seq++) spool.append(hb(seq));
    expect(spool.stats()).toMatchObject({ entries: 2, dropped: 2 });
    expect(drainSeqs(spool)).toEqual([12, 13]);
  });

  it('removes entries only on ack, in order, and a restart replays exactly the unacknowledged ones', () => {
    const spool = open();
    for (let seq = 0; seq < 4; seq++) spool.append(hb(seq));
    expect(drainSeqs(spool)).toEqual([0, 1, 2, 3]);
    spool.ack(0);
    spool.ack(2); // out of order: 2 waits for 1
    expect(spool.size).toBe(3);
    spool.release(3); // failed publish goes back in line
    expect(drainSeqs(spool)).toEqual([3]);

    const reopened = open();
    // 2 was acked but not as part of a prefix, so it is sent again: at-least-once, the hub dedupes by seq.
    expect(drainSeqs(reopened)).toEqual([1, 2, 3]);
    for (const seq of [1, 2, 3]) reopened.ack(seq);
    expect(reopened.size).toBe(0);
    expect(readFileSync(join(tmp.dir, 'spool.jsonl'), 'utf8')).toBe('');
    expect(open().size).toBe(0);
    expect(reopened.maxSeq).toBe(3);
  });

  it('skips and counts a torn last line, keeping the entries before it', () => {
    const spool = open();
    spool.append(hb(0));
    spool.append(hb(1));
    appendFileSync(join(tmp.dir, 'spool.jsonl'), '{"v":1,"ts":12'); // power cut mid-write
    const reopened = open();
    expect(reopened.stats()).toMatchObject({ entries: 2, corrupt: 1 });
    reopened.append(hb(2));
    expect(drainSeqs(open())).toEqual([0, 1, 2]);
  });
});

describe('heartbeat spool on a failing disk', () => {
  it('keeps the heartbeat in memory, counts the failed write, and carries on', () => {
    const tmp = makeTempDir('agent-spool-io-');
    try {
      const spool = new HeartbeatSpool({
        dir: tmp.dir,
        maxEntries: 10,
        maxBytes: 100_000,
        logger: silentLogger,
      });
      spool.open();
      // A directory where the data file should be makes every append fail, as a full disk would.
      rmSync(join(tmp.dir, 'spool.jsonl'), { force: true });
      mkdirSync(join(tmp.dir, 'spool.jsonl'));
      spool.append(hb(0));
      expect(spool.stats()).toMatchObject({ entries: 1, ioErrors: 1 });
      expect(spool.takeNext()?.seq).toBe(0);
      spool.ack(0);
      expect(spool.size).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('seq counter', () => {
  it('continues after a restart and never goes below what the spool holds', () => {
    const tmp = makeTempDir('agent-seq-');
    try {
      const first = new SeqCounter(tmp.dir);
      first.open();
      expect([first.next(), first.next(), first.next()]).toEqual([0, 1, 2]);
      const second = new SeqCounter(tmp.dir);
      second.open();
      expect(second.next()).toBe(3);
      const third = new SeqCounter(tmp.dir);
      third.open(41); // seq file older than the spool (restored backup)
      expect(third.next()).toBe(42);
    } finally {
      tmp.cleanup();
    }
  });
});
