import { Counter } from 'prom-client';
import type { Logger } from '../logger.ts';

/** One durable thing the hub writes to (the time-series store, the coverage record). */
export interface CommitStep {
  name: string;
  /** Makes everything written to it so far durable, or throws/rejects. */
  commit(): void | Promise<void>;
}

export interface GroupCommitOptions {
  /** How long the first waiter of a batch waits for the others before the batch is committed. */
  intervalMs: number;
  /** Committed in this order on every tick; all must succeed for the batch's waiters to be released. */
  steps: readonly CommitStep[];
  logger: Logger;
}

/** Called once the write it waited for is durable (no argument) or could not be made durable (the error). */
export type CommitWaiter = (err?: Error) => void;

/**
 * Group commit: a QoS 1 PUBACK means "stored". Ingest writes rows into the stores' buffers; the broker
 * parks the publish's acknowledgement here; at most `intervalMs` later one tick commits every step (one
 * SQLite transaction for the whole batch, one coverage transaction, one InfluxDB write or spool fsync) and
 * then releases every acknowledgement of that batch. One commit is in flight at a time: waiters that arrive
 * during a commit go into the next batch, so a slow store grows the batches instead of the backlog.
 * Idle hubs run no timer.
 */
export class GroupCommit {
  private waiting: CommitWaiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  readonly failures = new Counter({
    name: 'hub_store_commit_failures_total',
    help: 'Group commits that failed (their acknowledgements were withheld and the connections closed), by step',
    labelNames: ['step'] as const,
    registers: [],
  });
  readonly batches = new Counter({
    name: 'hub_store_commits_total',
    help: 'Group commits run (each releases the acknowledgements of one batch)',
    registers: [],
  });

  constructor(private readonly options: GroupCommitOptions) {}

  /** Calls `waiter` after the next commit that includes everything written before this call. */
  afterCommit(waiter: CommitWaiter): void {
    if (this.stopped) {
      waiter(new Error('the hub is stopping'));
      return;
    }
    this.waiting.push(waiter);
    this.schedule();
  }

  /** Waiters not yet released. */
  get pending(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.timer || this.running || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, this.options.intervalMs);
  }

  /** Commits now and releases the current batch; resolves when done (never rejects). */
  tick(): Promise<void> {
    if (this.running) return this.running.then(() => this.tick());
    const batch = this.waiting;
    this.waiting = [];
    this.running = this.commitAll().then(
      () => release(batch, undefined),
      (err: Error) => release(batch, err),
    );
    return this.running.finally(() => {
      this.running = undefined;
      if (this.waiting.length > 0) this.schedule();
    });
  }

  private async commitAll(): Promise<void> {
    for (const step of this.options.steps) {
      // A step that never settles withholds every PUBACK after it without an error: say which one it is.
      const slow = setTimeout(
        () =>
          this.options.logger.warn(
            { step: step.name, waiting: this.waiting.length },
            'group commit step still running after 10 s: acknowledgements are withheld until it settles',
          ),
        10_000,
      );
      slow.unref();
      try {
        await step.commit();
      } catch (err) {
        this.failures.inc({ step: step.name });
        this.options.logger.error(
          { err, step: step.name },
          'group commit failed: the acknowledgements of this batch are withheld; devices will resend',
        );
        throw err instanceof Error ? err : new Error(String(err));
      } finally {
        clearTimeout(slow);
      }
    }
    this.batches.inc();
  }

  /** Commits and releases whatever is waiting; later waiters are refused. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tick();
    this.stopped = true;
  }
}

function release(batch: readonly CommitWaiter[], err: Error | undefined): void {
  for (const waiter of batch) {
    try {
      waiter(err);
    } catch {
      // A waiter is aedes' callback; one that throws must not keep the others of the batch waiting.
    }
  }
}
