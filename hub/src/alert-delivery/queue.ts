import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { DeliveryFailure, type OutgoingMessage, type SendOk } from './adapters.ts';
import type { ChannelRow, DeliveryRow, DeliveryStore, NewDelivery } from './store.ts';

export type Sender = (channel: ChannelRow, message: OutgoingMessage) => Promise<SendOk>;

export interface QueueOptions {
  /** First retry after this long; doubles per failed try up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** After this many failed tries the message is marked failed (still listed, with every attempt). */
  maxAttempts: number;
  /** How often the queue looks for due messages (real time; due-ness is by the injected clock). */
  pollMs: number;
  /** Builds a digest message from a channel's buffered notices. */
  buildDigest: (channel: ChannelRow, notices: unknown[]) => NewDelivery;
}

export const DEFAULT_QUEUE_OPTIONS: Omit<QueueOptions, 'buildDigest'> = {
  baseBackoffMs: 10_000,
  maxBackoffMs: 30 * 60_000,
  // 10 s doubling to a 30 min cap: about 24 hours of retries before a message is given up.
  maxAttempts: 60,
  pollMs: 200,
};

/** Wait before try n+1 after n failures: the service's Retry-After when it gave one, else exponential. */
export function backoffMs(
  failures: number,
  retryAfterMs: number | undefined,
  o: Pick<QueueOptions, 'baseBackoffMs' | 'maxBackoffMs'>,
): number {
  const exp = Math.min(o.maxBackoffMs, o.baseBackoffMs * 2 ** Math.max(0, failures - 1));
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, 1000) : exp;
}

export interface QueueHooks {
  onAttempt?: (channel: ChannelRow, ok: boolean, error: string | null) => void;
  /**
   * Cluster mode: claims this try of the message for this node before it is sent (a row in PostgreSQL,
   * one per message and try). False: another living node holds it, so this node does not send it.
   */
  claim?: (delivery: DeliveryRow) => Promise<boolean>;
}

/**
 * The outgoing queue. Every message is a row before anything is sent, so nothing is lost to a crash,
 * a 429 or a 500. Each channel sends its messages in order, one at a time (a Telegram 429 holds that
 * chat's queue, as Telegram asks); channels never wait for each other, so one failing channel never
 * blocks the rest. Every try is an attempt row. Time (due dates, backoff) comes from the injected clock.
 */
export class DeliveryQueue {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopped = true;

  constructor(
    private readonly store: DeliveryStore,
    private readonly clock: Clock,
    private readonly send: Sender,
    private readonly logger: Logger,
    private readonly options: QueueOptions,
    private readonly hooks: QueueHooks = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.options.pollMs);
    this.timer.unref();
  }

  /** Stops looking for work and waits for tries already on the wire (their outcome is recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Looks for due work now (after an enqueue, so a message does not wait for the next poll). */
  kick(): void {
    if (!this.stopped) this.tick();
  }

  /** One pass: flush due digests, then start a try for each channel whose head message is due. */
  tick(): void {
    try {
      const now = this.clock.now();
      const channels = new Map(this.store.listChannels().map((c) => [c.id, c]));
      for (const { channelId, oldest } of this.store.digestOldest()) {
        const channel = channels.get(channelId);
        if (!channel) continue;
        if (now - oldest >= channel.digestMinutes * 60_000) {
          this.store.flushDigest(channelId, (notices) => this.options.buildDigest(channel, notices), now);
        }
      }
      for (const head of this.store.queueHeads()) {
        if (this.inFlight.has(head.channelId) || head.nextAt > now) continue;
        const channel = channels.get(head.channelId);
        if (!channel || !channel.enabled) continue;
        const run = this.attempt(channel, head).finally(() => {
          this.inFlight.delete(head.channelId);
          // The next message of this channel may already be due (a backlog after an outage).
          if (!this.stopped) setImmediate(() => this.kick());
        });
        this.inFlight.set(head.channelId, run);
      }
    } catch (err) {
      this.logger.error({ err }, 'delivery queue pass failed');
    }
  }

  /** Resolves when nothing is on the wire: lets tests and shutdown wait for the current tries. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private async attempt(channel: ChannelRow, d: DeliveryRow): Promise<void> {
    const message: OutgoingMessage = {
      deliveryId: d.id,
      subject: d.subject,
      text: d.text,
      payload: d.payload,
      alertIds: d.alertIds,
      ackable: d.alertIds.length === 1 && ['notify', 'renotify', 'escalate'].includes(d.reason),
    };
    try {
      if (this.hooks.claim && !(await this.hooks.claim(d))) return;
    } catch (err) {
      // PostgreSQL unreachable: nothing is sent unclaimed; the next pass tries again.
      this.logger.warn({ err, delivery: d.id }, 'delivery claim failed; will retry');
      return;
    }
    try {
      const ok = await this.send(channel, message);
      // Recorded at the clock's time of the outcome, which is what an official reads in the history.
      this.store.recordAttempt(
        d,
        this.clock.now(),
        { ok: true, status: ok.status, error: null, retryAt: null, providerMessageId: ok.providerMessageId },
        false,
      );
      this.hooks.onAttempt?.(channel, true, null);
    } catch (err) {
      const at = this.clock.now();
      const failure =
        err instanceof DeliveryFailure ? err : new DeliveryFailure((err as Error).message, null);
      const failures = d.attempts + 1;
      const giveUp = failures >= this.options.maxAttempts;
      const retryAt = giveUp ? null : at + backoffMs(failures, failure.retryAfterMs, this.options);
      this.store.recordAttempt(
        d,
        at,
        { ok: false, status: failure.status, error: failure.message, retryAt },
        giveUp,
      );
      this.hooks.onAttempt?.(channel, false, failure.message);
      this.logger.warn(
        {
          channel: channel.id,
          delivery: d.id,
          status: failure.status,
          err: failure.message,
          retryAt,
          giveUp,
        },
        giveUp ? 'alert delivery given up' : 'alert delivery failed; will retry',
      );
    }
  }
}
