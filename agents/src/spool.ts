import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Heartbeat } from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import { AGENT_ERROR_CODES } from './errors.ts';
import type { Logger } from './logger.ts';
import { readIntegerFile, writeFileAtomic } from './seq-counter.ts';

export interface SpoolOptions {
  dir: string;
  maxEntries: number;
  maxBytes: number;
  logger: Logger;
}

type EntryState = 'queued' | 'inflight' | 'acked';

export interface SpoolEntry {
  readonly seq: number;
  readonly ts: number;
  /** The exact JSON published, without the newline. */
  readonly payload: string;
  readonly bytes: number;
  state: EntryState;
}

export interface SpoolStats {
  entries: number;
  bytes: number;
  inflight: number;
  dropped: number;
  corrupt: number;
  /** Disk writes that failed (disk full...): those entries live in memory only until sent. */
  ioErrors: number;
}

/** Dead bytes at the head of the file that trigger a rewrite (besides "more dead than live"). */
const COMPACT_MIN_DEAD_BYTES = 64 * 1024;

/**
 * Write-ahead spool of heartbeats: every heartbeat is appended here before it is published and leaves
 * only when the broker acknowledged it (PUBACK), so neither a lost connection nor an agent restart loses
 * one. On disk:
 *  - `spool.jsonl`: append-only, one heartbeat JSON per line, oldest first (seq strictly increasing);
 *  - `spool.removed`: the seq up to which entries are gone (acknowledged or dropped by the cap).
 * Removing an entry rewrites only the tiny marker file; the data file is rewritten when its dead head
 * grows large or when it empties. A crash between the two leaves the marker authoritative, so the files
 * are always consistent; at worst a heartbeat whose PUBACK had not been recorded is sent again, which
 * the hub ignores by (device, seq).
 * Bounded by entry count and live bytes: when full, the oldest entry is dropped and counted.
 */
export class HeartbeatSpool {
  private readonly options: SpoolOptions;
  private readonly dataPath: string;
  private readonly markerPath: string;
  private readonly log: Logger;
  private entries: SpoolEntry[] = [];
  private liveBytes = 0;
  private deadBytes = 0;
  private removedThrough = -1;
  private dropped = 0;
  private corrupt = 0;
  private ioErrors = 0;

  constructor(options: SpoolOptions) {
    this.options = options;
    this.dataPath = join(options.dir, 'spool.jsonl');
    this.markerPath = join(options.dir, 'spool.removed');
    this.log = options.logger.child({ module: 'spool' });
  }

  /** Loads what a previous run left; skips (and counts) torn or invalid lines. */
  open(): void {
    mkdirSync(this.options.dir, { recursive: true });
    this.removedThrough = readIntegerFile(this.markerPath) ?? -1;
    let raw = '';
    try {
      raw = readFileSync(this.dataPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let needsRewrite = raw !== '' && !raw.endsWith('\n');
    let lastSeq = this.removedThrough;
    for (const line of raw.split('\n')) {
      if (line === '') continue;
      const entry = this.parseLine(line);
      if (!entry || entry.seq <= lastSeq) {
        needsRewrite = true;
        if (!entry) this.countCorrupt(line);
        continue;
      }
      lastSeq = entry.seq;
      this.entries.push(entry);
      this.liveBytes += entry.bytes;
    }
    if (needsRewrite) this.rewrite();
    this.enforceCap();
    if (this.entries.length > 0) {
      this.log.info(
        { entries: this.entries.length, bytes: this.liveBytes },
        'spool holds heartbeats to replay',
      );
    }
  }

  append(heartbeat: Heartbeat): void {
    const payload = JSON.stringify(heartbeat);
    const entry: SpoolEntry = {
      seq: heartbeat.seq,
      ts: heartbeat.ts,
      payload,
      bytes: Buffer.byteLength(payload) + 1,
      state: 'queued',
    };
    this.tryIo('append', () => appendFileSync(this.dataPath, `${payload}\n`));
    this.entries.push(entry);
    this.liveBytes += entry.bytes;
    this.enforceCap();
  }

  /** Oldest entry not yet handed out, now marked in flight; undefined when there is none. */
  takeNext(): SpoolEntry | undefined {
    const entry = this.entries.find((e) => e.state === 'queued');
    if (entry) entry.state = 'inflight';
    return entry;
  }

  /** A publish failed without PUBACK: the entry goes back in line, in its original place. */
  release(seq: number): void {
    const entry = this.entries.find((e) => e.seq === seq);
    if (entry?.state === 'inflight') entry.state = 'queued';
  }

  /** The broker acknowledged this heartbeat: it may leave the spool. Unknown seqs (dropped meanwhile) are ignored. */
  ack(seq: number): void {
    const entry = this.entries.find((e) => e.seq === seq);
    if (!entry) return;
    entry.state = 'acked';
    // Only a prefix can be recorded as removed; an entry acked out of order waits for the ones before it.
    let removedAny = false;
    while (this.entries[0]?.state === 'acked') {
      this.removeHead();
      removedAny = true;
    }
    if (removedAny) this.persistRemoval();
  }

  get size(): number {
    return this.entries.length;
  }

  /** Highest seq ever stored, so the seq counter can never go below it. */
  get maxSeq(): number {
    return this.entries.at(-1)?.seq ?? this.removedThrough;
  }

  stats(): SpoolStats {
    return {
      entries: this.entries.length,
      bytes: this.liveBytes,
      inflight: this.entries.filter((e) => e.state === 'inflight').length,
      dropped: this.dropped,
      corrupt: this.corrupt,
      ioErrors: this.ioErrors,
    };
  }

  private enforceCap(): void {
    let droppedNow = 0;
    while (
      this.entries.length > this.options.maxEntries ||
      (this.liveBytes > this.options.maxBytes && this.entries.length > 1)
    ) {
      this.removeHead();
      droppedNow += 1;
    }
    if (droppedNow === 0) return;
    this.dropped += droppedNow;
    this.persistRemoval();
    this.log.warn(
      { droppedNow, droppedTotal: this.dropped, entries: this.entries.length, bytes: this.liveBytes },
      'spool full: dropped the oldest heartbeats',
    );
  }

  private removeHead(): void {
    const head = this.entries.shift()!;
    this.liveBytes -= head.bytes;
    this.deadBytes += head.bytes;
    this.removedThrough = head.seq;
  }

  private persistRemoval(): void {
    this.tryIo('mark removed', () => writeFileAtomic(this.markerPath, `${this.removedThrough}\n`));
    if (this.entries.length === 0) {
      if (this.tryIo('truncate', () => writeFileSync(this.dataPath, ''))) this.deadBytes = 0;
    } else if (this.deadBytes > COMPACT_MIN_DEAD_BYTES && this.deadBytes > this.liveBytes) {
      this.rewrite();
    }
  }

  private rewrite(): void {
    const content = this.entries.map((e) => `${e.payload}\n`).join('');
    if (this.tryIo('rewrite', () => writeFileAtomic(this.dataPath, content))) this.deadBytes = 0;
  }

  /**
   * A failed write (disk full, read-only media) must not stop the agent: the heartbeat is still sent from
   * memory, it just would not survive a restart. Counted and logged; the files stay consistent because
   * every write is an append of whole lines or an atomic replace.
   */
  private tryIo(what: string, write: () => void): boolean {
    try {
      write();
      return true;
    } catch (err) {
      this.ioErrors += 1;
      this.log.error(
        { err, code: AGENT_ERROR_CODES.spoolIo, what, ioErrors: this.ioErrors },
        'spool write failed',
      );
      return false;
    }
  }

  private parseLine(line: string): SpoolEntry | undefined {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (!Value.Check(Heartbeat, value)) return undefined;
    return {
      seq: value.seq,
      ts: value.ts,
      payload: line,
      bytes: Buffer.byteLength(line) + 1,
      state: 'queued',
    };
  }

  private countCorrupt(line: string): void {
    this.corrupt += 1;
    this.log.warn(
      { code: AGENT_ERROR_CODES.spoolCorrupt, corruptTotal: this.corrupt, line: line.slice(0, 120) },
      'skipped an unreadable spool line (torn write?)',
    );
  }
}
