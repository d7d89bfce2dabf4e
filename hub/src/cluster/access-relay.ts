import type { Redis } from 'ioredis';
import type { EventBus } from '../events/bus.ts';
import type { DomainEvents } from '../events/events.ts';
import type { Logger } from '../logger.ts';

export const ACCESS_CHANNEL = 'hub:cluster:access';

/** The bus events that change who may keep an open socket (issue 14), relayed to every node. */
const RELAYED = ['user.changed', 'session.revoked'] as const;
type AccessEvent = (typeof RELAYED)[number];

interface AccessMessage {
  from: string;
  event: AccessEvent;
  payload: DomainEvents[AccessEvent];
}

interface AccessRelayDeps {
  redis: Redis;
  subscriber: Redis;
  nodeId: string;
  events: EventBus;
  logger: Logger;
}

/**
 * `user.changed` and `session.revoked` through Redis pub/sub, so a user disabled, re-scoped or signed out
 * on one node has its open sockets on every node re-checked at once (each node's realtime re-reads the
 * user from the shared store), not at the next once-a-minute sweep. One PUBLISH per event, unbatched:
 * these are a person's actions, a few a minute. Incoming events are emitted on the local bus marked as
 * relayed (not sent back). A lost message (Redis away) is still caught by that sweep.
 */
export class AccessRelay {
  private applying = false;
  private readonly offs: Array<() => void> = [];
  private readonly onMessage = (channel: string, message: string) => {
    if (channel === ACCESS_CHANNEL) this.receive(message);
  };

  constructor(private readonly deps: AccessRelayDeps) {}

  async start(): Promise<void> {
    const { events, subscriber } = this.deps;
    subscriber.on('message', this.onMessage);
    await subscriber.subscribe(ACCESS_CHANNEL);
    for (const event of RELAYED) {
      this.offs.push(events.on(event, (payload) => this.send(event, payload)));
    }
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    this.deps.subscriber.off('message', this.onMessage);
    await this.deps.subscriber.unsubscribe(ACCESS_CHANNEL).catch(() => {});
  }

  private send(event: AccessEvent, payload: DomainEvents[AccessEvent]): void {
    if (this.applying) return;
    const message: AccessMessage = { from: this.deps.nodeId, event, payload };
    this.deps.redis.publish(ACCESS_CHANNEL, JSON.stringify(message)).catch((err: unknown) => {
      this.deps.logger.warn({ err, event }, 'cluster access relay publish failed; the sweep will catch it');
    });
  }

  private receive(raw: string): void {
    let message: AccessMessage;
    try {
      message = JSON.parse(raw) as AccessMessage;
    } catch (err) {
      this.deps.logger.warn({ err }, 'cluster access relay: unreadable message');
      return;
    }
    if (message.from === this.deps.nodeId || !RELAYED.includes(message.event)) return;
    if (typeof message.payload?.userId !== 'string') return;
    this.applying = true;
    try {
      this.deps.events.emit(message.event, message.payload as never);
    } finally {
      this.applying = false;
    }
  }
}
