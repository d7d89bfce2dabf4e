import { publishOptions } from '@commune-hub/protocol';
import type { MqttClient } from 'mqtt';
import type { Logger } from './logger.ts';
import type { HeartbeatSpool } from './spool.ts';

export interface SpoolPublisherOptions {
  client: MqttClient;
  spool: HeartbeatSpool;
  topic: string;
  /** Most heartbeats published and not yet acknowledged at once. */
  window: number;
  logger: Logger;
}

/**
 * Drains the spool to the broker oldest first, at QoS 1, with at most `window` heartbeats awaiting their
 * PUBACK. An entry leaves the spool only on its PUBACK. Heartbeats in flight when the connection drops
 * stay in MQTT.js's outgoing store, which resends them first on reconnect (before 'connect' is emitted),
 * so order holds; after an agent restart they are still in the spool and replayed from there.
 */
export class SpoolPublisher {
  private readonly options: SpoolPublisherOptions;
  private readonly log: Logger;
  private inflight = 0;
  private acked = 0;
  private failed = 0;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(options: SpoolPublisherOptions) {
    this.options = options;
    this.log = options.logger.child({ module: 'publisher' });
  }

  /** Publishes as many queued heartbeats as the window allows. Safe to call at any time. */
  pump(): void {
    const { client, spool, topic, window } = this.options;
    if (this.stopped || !client.connected || client.disconnecting) return;
    while (this.inflight < window) {
      const entry = spool.takeNext();
      if (!entry) break;
      this.inflight += 1;
      client.publish(topic, entry.payload, publishOptions('hb'), (err) => {
        this.inflight -= 1;
        if (err) {
          // No PUBACK: keep it spooled and in its place; it goes again on the next pump (reconnect or tick).
          this.failed += 1;
          spool.release(entry.seq);
          this.log.warn({ err, seq: entry.seq }, 'heartbeat publish failed; kept in spool');
        } else {
          this.acked += 1;
          spool.ack(entry.seq);
          this.pump();
        }
        if (this.inflight === 0) this.notifyIdle();
      });
    }
    if (this.inflight === 0) this.notifyIdle();
  }

  /** Resolves when nothing is in flight, or after timeoutMs; true if it became idle. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.inflight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  stop(): void {
    this.stopped = true;
  }

  stats(): { inflight: number; acked: number; failed: number } {
    return { inflight: this.inflight, acked: this.acked, failed: this.failed };
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
