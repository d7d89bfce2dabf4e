import type { Logger } from '../logger.ts';
import type { DomainEvents } from './events.ts';

export type EventName = keyof DomainEvents;
export type Listener<K extends EventName> = (payload: DomainEvents[K]) => void;

/** Counts a listener that threw, by event (the hub wires this to a prom-client counter). */
export type ListenerFailureCounter = (event: EventName) => void;

/**
 * The hub's typed domain event bus. Parts talk through it instead of calling each other's internals:
 * the broker says a connection closed, liveness listens; the device service says a device changed,
 * realtime, alerts and criteria listen.
 *
 * Delivery is synchronous and in-process, in subscription order, so a listener sees the world exactly
 * as the event left it (no interleaving with ingest). A listener that throws is logged and counted
 * here, in one place, and never reaches the publisher: a broken alert rule must not drop a heartbeat.
 * Listeners that need to do slow work (I/O, deliveries) queue it themselves.
 */
export class EventBus {
  private readonly listeners = new Map<EventName, Array<Listener<never>>>();

  constructor(
    private readonly logger: Logger,
    private readonly countFailure: ListenerFailureCounter = () => {},
  ) {}

  /** Subscribes; returns the function that unsubscribes (call it in the subscriber's stop/onClose). */
  on<K extends EventName>(event: K, listener: Listener<K>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener<never>);
    this.listeners.set(event, list);
    return () => this.off(event, listener);
  }

  off<K extends EventName>(event: K, listener: Listener<K>): void {
    const list = this.listeners.get(event);
    if (!list) return;
    const i = list.indexOf(listener as Listener<never>);
    if (i >= 0) list.splice(i, 1);
  }

  emit<K extends EventName>(event: K, payload: DomainEvents[K]): void {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) return;
    // A copy: a listener may unsubscribe itself (or another) while this event is delivered.
    for (const listener of list.slice()) {
      try {
        (listener as Listener<K>)(payload);
      } catch (err) {
        this.countFailure(event);
        this.logger.error({ err, event }, 'event listener failed');
      }
    }
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}
