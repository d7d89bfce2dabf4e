import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';

export interface SpoolOptions {
  /** Folder of the spool's segment files (created if missing), e.g. `<dataDir>/influx-spool`. */
  dir: string;
  /** The bound: past it the oldest segments are dropped. Config, e.g. HUB_INFLUX_SPOOL_MAX_MB. */
  maxBytes: number;
  /** Size at which a segment is sealed and a new one started; defaults to maxBytes / 16 (4 KiB .. 8 MiB). */
  segmentBytes?: number;
  logger: Logger;
}

export interface SpoolSegment {
  id: number;
  lines: string[];
}

export type SpoolMetrics = {
  depthLines: Gauge;
  bytes: Gauge;
  droppedLines: Counter;
};

interface SegmentInfo {
  id: number;
  file: string;
  bytes: number;
  lines: number;
}

const SEGMENT_RE = /^(\d{12})\.spool$/;

/**
 * A bounded first-in first-out buffer of line-protocol lines on disk, used while the time-series server
 * is unreachable. Segment files hold one JSON array of lines per record, so lines may contain newlines.
 * Past `maxBytes` the oldest sealed segment is dropped whole, counted exactly in lines and logged loudly;
 * the segment being replayed is never dropped (the bound may be exceeded by that one segment).
 * Durability: `append` writes through to the OS (a killed hub process loses nothing); `sync()` fsyncs the
 * segments appended since the last sync and, after a new segment, the folder, so a power cut loses nothing
 * synced either. The group commit calls `sync()` before acknowledging spooled heartbeats: one fsync per
 * commit tick, only while InfluxDB is unreachable.
 */
export class DiskSpool {
  private segments: SegmentInfo[] = [];
  private totalBytes = 0;
  private totalLines = 0;
  private droppedTotal = 0;
  private inFlight: number | undefined;
  /** Segment files appended to since the last sync(). */
  private readonly unsynced = new Set<string>();
  private dirUnsynced = false;
  private readonly segmentBytes: number;
  readonly metrics: SpoolMetrics;

  constructor(private readonly options: SpoolOptions) {
    this.segmentBytes =
      options.segmentBytes ?? Math.min(8 * 1024 * 1024, Math.max(4096, Math.floor(options.maxBytes / 16)));
    // Not registered anywhere: the hub registers them in its own registry (two stores in one test process
    // would otherwise clash in prom-client's global registry).
    this.metrics = {
      depthLines: new Gauge({
        name: 'hub_store_spool_lines',
        help: 'Lines waiting in the on-disk spool for the time-series server to come back',
        registers: [],
        collect: () => this.metrics.depthLines.set(this.totalLines),
      }),
      bytes: new Gauge({
        name: 'hub_store_spool_bytes',
        help: 'Bytes of the on-disk spool',
        registers: [],
        collect: () => this.metrics.bytes.set(this.totalBytes),
      }),
      droppedLines: new Counter({
        name: 'hub_store_spool_dropped_lines_total',
        help: 'Lines dropped oldest-first because the spool reached its bound',
        registers: [],
      }),
    };
  }

  /** Lines waiting. */
  get depth(): number {
    return this.totalLines;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Lines dropped because of the bound since this process started. */
  get dropped(): number {
    return this.droppedTotal;
  }

  open(): void {
    fs.mkdirSync(this.options.dir, { recursive: true });
    const names = fs
      .readdirSync(this.options.dir)
      .filter((n) => SEGMENT_RE.test(n))
      .sort();
    for (const name of names) {
      const file = path.join(this.options.dir, name);
      const lines = this.readSegment(file).length;
      const bytes = fs.statSync(file).size;
      this.segments.push({ id: Number(SEGMENT_RE.exec(name)![1]), file, bytes, lines });
      this.totalBytes += bytes;
      this.totalLines += lines;
    }
    if (this.totalLines > 0) {
      this.options.logger.warn(
        { lines: this.totalLines, bytes: this.totalBytes },
        'spool holds lines from before the restart; they will be replayed',
      );
    }
  }

  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const record = JSON.stringify(lines) + '\n';
    const size = Buffer.byteLength(record);
    let tail = this.segments.at(-1);
    if (!tail || tail.id === this.inFlight || tail.bytes >= this.segmentBytes) {
      tail = this.newSegment();
    }
    fs.appendFileSync(tail.file, record);
    this.unsynced.add(tail.file);
    tail.bytes += size;
    tail.lines += lines.length;
    this.totalBytes += size;
    this.totalLines += lines.length;
    this.enforceBound();
  }

  /** fsyncs what was appended since the last call (and the folder, if a segment was created). Throws on failure. */
  sync(): void {
    for (const file of this.unsynced) {
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch (err) {
        // Dropped by the bound or replayed and removed meanwhile: nothing of it is left to make durable.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      try {
        fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    this.unsynced.clear();
    if (this.dirUnsynced) {
      const fd = fs.openSync(this.options.dir, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      this.dirUnsynced = false;
    }
  }

  /** The oldest segment, sealed so new appends go elsewhere; stays in the spool until `ack(id)`. */
  peek(): SpoolSegment | undefined {
    const head = this.segments[0];
    if (!head) return undefined;
    this.inFlight = head.id;
    return { id: head.id, lines: this.readSegment(head.file) };
  }

  /** The segment was delivered: removes it. */
  ack(id: number): void {
    const i = this.segments.findIndex((s) => s.id === id);
    if (this.inFlight === id) this.inFlight = undefined;
    if (i < 0) return;
    const [seg] = this.segments.splice(i, 1);
    this.totalBytes -= seg!.bytes;
    this.totalLines -= seg!.lines;
    fs.rmSync(seg!.file, { force: true });
  }

  /** Replay of the peeked segment failed: it stays first. */
  release(id: number): void {
    if (this.inFlight === id) this.inFlight = undefined;
  }

  private newSegment(): SegmentInfo {
    const id = (this.segments.at(-1)?.id ?? 0) + 1;
    const seg = {
      id,
      file: path.join(this.options.dir, `${String(id).padStart(12, '0')}.spool`),
      bytes: 0,
      lines: 0,
    };
    fs.writeFileSync(seg.file, '');
    this.dirUnsynced = true;
    this.segments.push(seg);
    return seg;
  }

  private enforceBound(): void {
    while (this.totalBytes > this.options.maxBytes) {
      const victim = this.segments.find((s, i) => s.id !== this.inFlight && i < this.segments.length - 1);
      if (!victim) return;
      this.segments.splice(this.segments.indexOf(victim), 1);
      this.totalBytes -= victim.bytes;
      this.totalLines -= victim.lines;
      this.droppedTotal += victim.lines;
      this.metrics.droppedLines.inc(victim.lines);
      fs.rmSync(victim.file, { force: true });
      this.options.logger.error(
        { droppedLines: victim.lines, droppedTotal: this.droppedTotal, maxBytes: this.options.maxBytes },
        'SPOOL FULL: time-series server unreachable for too long, dropped the oldest spooled lines',
      );
    }
  }

  private readSegment(file: string): string[] {
    const lines: string[] = [];
    const text = fs.readFileSync(file, 'utf8');
    for (const record of text.split('\n')) {
      if (!record) continue;
      try {
        for (const line of JSON.parse(record) as string[]) lines.push(line);
      } catch (err) {
        // Only the last record can be torn (a crash mid-append); it was never acknowledged as stored.
        this.options.logger.error({ err, file }, 'spool segment has a torn record; skipped it');
      }
    }
    return lines;
  }
}
