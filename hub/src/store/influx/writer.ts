import { HttpError, type Transport } from '@influxdata/influxdb-client';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { HubError } from '../../errors.ts';
import type { DiskSpool } from '../spool.ts';

export interface InfluxWriterOptions {
  transport: Transport;
  /** The client's v2 write path; V1CompatTransport maps it for InfluxDB 1.x. */
  writePath: string;
  spool: DiskSpool;
  logger: Logger;
  /** Lines per write request; this many buffered lines are sent without waiting for the timer. */
  batchSize: number;
  /** Buffered lines are sent at least this often. */
  flushIntervalMs: number;
  /** First retry delay of the replay after a failure; doubles up to replayMaxMs. */
  replayMinMs: number;
  replayMaxMs: number;
}

/** 400: the server refused the data itself (e.g. field type conflict); sending it again cannot help. */
function isRejection(err: unknown): err is HttpError {
  return err instanceof HttpError && err.statusCode === 400;
}

/** InfluxDB 1.x reports `partial write: ... dropped=N` when it stored the rest of the batch. */
function rejectedCount(err: HttpError, lines: number): number {
  const m = /dropped=(\d+)/.exec(err.body ?? err.message);
  return m ? Math.min(lines, Number(m[1])) : lines;
}

/**
 * The write path of the InfluxDB store. Lines are buffered here and POSTed in batches (at `batchSize`
 * lines, every `flushIntervalMs`, and on every group commit), one send at a time, so `commit()` knows
 * exactly which lines it waited for. When a batch cannot be delivered (server down, timeout, 5xx, auth
 * revoked) it goes to the on-disk spool, and every later write goes to the spool behind it. A replay loop
 * with exponential backoff drains the spool oldest-first; once it is empty, writes go straight again.
 */
export class InfluxWriter {
  private outage = false;
  private replayTimer: NodeJS.Timeout | undefined;
  private replaying: Promise<void> | undefined;
  private delayMs: number;
  private stopped = false;
  /** Lines not yet sent. */
  private buffer: string[] = [];
  /** Sends run one after another: a commit's send resolves after every earlier one. */
  private sendChain: Promise<void> = Promise.resolve();
  private sendTimer: NodeJS.Timeout | undefined;
  readonly rejectedLines = new Counter({
    name: 'hub_store_rejected_lines_total',
    help: 'Lines the time-series server refused as invalid (HTTP 400), logged with the reason',
    registers: [],
  });

  constructor(private readonly o: InfluxWriterOptions) {
    this.delayMs = o.replayMinMs;
  }

  /** Lines waiting in the spool. */
  get spooled(): number {
    return this.o.spool.depth;
  }

  start(): void {
    this.sendTimer = setInterval(() => {
      if (this.buffer.length > 0) void this.send();
    }, this.o.flushIntervalMs);
    this.sendTimer.unref();
    if (this.o.spool.depth > 0) {
      this.outage = true;
      this.scheduleReplay(0);
    }
  }

  write(lines: string[]): void {
    if (lines.length === 0) return;
    if (this.outage || this.o.spool.depth > 0) {
      this.o.spool.append(lines);
      this.scheduleReplay(this.delayMs);
      return;
    }
    for (const line of lines) this.buffer.push(line);
    if (this.buffer.length >= this.o.batchSize) void this.send();
  }

  /** Sends what is buffered now, after every earlier send; resolves when it is delivered, spooled or refused. */
  private send(): Promise<void> {
    this.sendChain = this.sendChain
      .then(() => this.sendBuffered())
      .catch((err: unknown) => this.o.logger.error({ err }, 'InfluxDB send crashed'));
    return this.sendChain;
  }

  private async sendBuffered(): Promise<void> {
    const lines = this.buffer;
    this.buffer = [];
    for (let i = 0; i < lines.length; i += this.o.batchSize) {
      const batch = lines.slice(i, i + this.o.batchSize);
      if (!this.outage) {
        try {
          await this.post(batch);
          continue;
        } catch (err) {
          this.enterOutage(err);
        }
      }
      this.o.spool.append(batch);
      this.scheduleReplay(this.delayMs);
    }
  }

  /**
   * Every line written so far is on the server or in the spool, fsynced (or was refused as invalid, which
   * no retry can change): what a QoS 1 acknowledgement waits for (../group-commit.ts). Unlike flush(), it
   * does not wait for an outage to end. Throws if the spool cannot be written or synced.
   */
  async commit(): Promise<void> {
    await this.send();
    this.o.spool.sync();
  }

  /** Everything written so far is on the server, or this throws HUB_ERR_STORE_UNREACHABLE. */
  async flush(): Promise<void> {
    await this.send();
    if (this.o.spool.depth === 0) return;
    await this.replay();
    if (this.o.spool.depth > 0) {
      throw new HubError(
        'HUB_ERR_STORE_UNREACHABLE',
        `InfluxDB is unreachable: ${this.o.spool.depth} lines wait in the spool and will be replayed`,
      );
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.replayTimer) clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    if (this.sendTimer) clearInterval(this.sendTimer);
    this.sendTimer = undefined;
    await this.replaying;
    // Whatever is still buffered is delivered or spooled.
    await this.send();
    this.o.spool.sync();
  }

  private enterOutage(err: unknown): void {
    if (this.outage) return;
    this.outage = true;
    this.o.logger.error(
      { err },
      'InfluxDB write failed: writes go to the on-disk spool until it works again',
    );
  }

  private countRejected(err: HttpError, lines: number): void {
    const n = rejectedCount(err, lines);
    this.rejectedLines.inc(n);
    this.o.logger.error(
      { err, lines: n, body: err.body },
      'InfluxDB refused lines as invalid; they are dropped',
    );
  }

  private scheduleReplay(delayMs: number): void {
    if (this.stopped || this.replayTimer || this.replaying) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      this.replay().catch((err: unknown) => this.o.logger.error({ err }, 'spool replay crashed'));
    }, delayMs);
    this.replayTimer.unref();
  }

  private replay(): Promise<void> {
    this.replaying ??= this.drain().finally(() => {
      this.replaying = undefined;
      if (this.o.spool.depth > 0) this.scheduleReplay(this.delayMs);
    });
    return this.replaying;
  }

  /** Sends spool segments oldest-first until it is empty or the server fails again. */
  private async drain(): Promise<void> {
    for (;;) {
      const segment = this.o.spool.peek();
      if (!segment) {
        if (this.outage) this.o.logger.warn('InfluxDB reachable again: spool replayed, writing directly');
        this.outage = false;
        this.delayMs = this.o.replayMinMs;
        return;
      }
      try {
        for (let i = 0; i < segment.lines.length; i += this.o.batchSize) {
          await this.post(segment.lines.slice(i, i + this.o.batchSize));
        }
        this.o.spool.ack(segment.id);
      } catch (err) {
        this.o.spool.release(segment.id);
        this.delayMs = Math.min(this.o.replayMaxMs, this.delayMs * 2);
        this.o.logger.warn({ err, spooled: this.o.spool.depth }, 'spool replay failed; will retry');
        return;
      }
    }
  }

  private async post(lines: string[]): Promise<void> {
    try {
      await this.o.transport.request(this.o.writePath, lines.join('\n'), {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    } catch (err) {
      if (!isRejection(err)) throw err;
      this.countRejected(err, lines.length);
    }
  }
}
