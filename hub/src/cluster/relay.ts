import type { Redis } from 'ioredis';
import type { EventBus } from '../events/bus.ts';
import type { LiveDevice, LivenessTracker } from '../liveness/tracker.ts';
import type { Logger } from '../logger.ts';
import type { TransitionRow } from '../store/types.ts';
import type { DeviceOwnership } from './ownership.ts';

export const RELAY_CHANNEL = 'hub:cluster:liveness';

type LiveView = Omit<LiveDevice, 'deadline' | 'graceMs'>;

/** One device's liveness as the acting node left it, with every transition since the last batch. */
interface Item {
  device: LiveView;
  transitions: TransitionRow[];
}

interface Batch {
  from: string;
  items: Item[];
}

interface RelayDeps {
  redis: Redis;
  subscriber: Redis;
  nodeId: string;
  events: EventBus;
  tracker: LivenessTracker;
  ownership: DeviceOwnership;
  logger: Logger;
  flushMs: number;
}

/**
 * `liveness.changed` through Redis pub/sub, so every node's live image and dashboards follow the devices
 * other nodes hold. (Changes to devices, places and maintenance reach the other nodes through the
 * database they share: ../registry/follow-changes.ts re-announces them on each node's bus.)
 *
 * Why relay domain events rather than use the socket.io Redis adapter: a dashboard's state comes from its
 * node's image (REST, the snapshot, filtered diffs), which must follow anyway; with the events relayed,
 * each node's realtime serves its own sockets from a correct image, and alerts and criteria on every node
 * hear the same transitions. The adapter would only forward socket frames and leave the images stale.
 *
 * Outgoing: at most one PUBLISH per `flushMs`; a busy node changes thousands of devices a second, so a
 * device's changes within one batch are coalesced to its latest state (its transitions are all kept).
 * Incoming: the acting node is recorded (ownership), the image updated, and `liveness.changed` emitted on
 * the local bus, marked as relayed so it is not sent back.
 */
export class EventRelay {
  private pending = new Map<string, { device: LiveDevice; transitions: TransitionRow[] }>();
  private timer: NodeJS.Timeout | undefined;
  private applying = false;
  private unsubscribe: (() => void) | undefined;
  private readonly onMessage = (channel: string, message: string) => {
    if (channel === RELAY_CHANNEL) this.receive(message);
  };

  constructor(private readonly deps: RelayDeps) {}

  async start(): Promise<void> {
    const { events, subscriber } = this.deps;
    subscriber.on('message', this.onMessage);
    await subscriber.subscribe(RELAY_CHANNEL);
    this.unsubscribe = events.on('liveness.changed', ({ device, transition }) => {
      if (this.applying) return;
      const entry = this.pending.get(device.id);
      // The view is read at flush time: the latest state of the device wins.
      if (entry) {
        if (transition) entry.transitions.push(transition);
      } else this.pending.set(device.id, { device, transitions: transition ? [transition] : [] });
    });
    this.timer = setInterval(() => this.flush(), this.deps.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
    this.deps.subscriber.off('message', this.onMessage);
    await this.deps.subscriber.unsubscribe(RELAY_CHANNEL).catch(() => {});
  }

  /** Sends what is queued as one message. Public so tests can flush without waiting for the timer. */
  flush(): void {
    if (this.pending.size === 0) return;
    const items: Item[] = [];
    for (const { device, transitions } of this.pending.values()) {
      const { deadline: _deadline, graceMs: _graceMs, ...view } = device;
      items.push({ device: view, transitions });
    }
    this.pending.clear();
    const batch: Batch = { from: this.deps.nodeId, items };
    this.deps.redis.publish(RELAY_CHANNEL, JSON.stringify(batch)).catch((err: unknown) => {
      this.deps.logger.warn({ err, devices: items.length }, 'cluster relay publish failed');
    });
  }

  private receive(message: string): void {
    let batch: Batch;
    try {
      batch = JSON.parse(message) as Batch;
    } catch (err) {
      this.deps.logger.warn({ err }, 'cluster relay: unreadable message');
      return;
    }
    if (batch.from === this.deps.nodeId) return;
    const { tracker, ownership, events } = this.deps;
    this.applying = true;
    try {
      for (const item of batch.items) {
        // Only the node acting for a device changes its liveness: that node holds it now.
        ownership.assign(item.device.id, batch.from);
        const device = tracker.applyRemote(item.device);
        if (!device) continue;
        if (item.transitions.length === 0) events.emit('liveness.changed', { device });
        for (const transition of item.transitions) events.emit('liveness.changed', { device, transition });
      }
    } finally {
      this.applying = false;
    }
  }
}
