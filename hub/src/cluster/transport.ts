import { DEVICE_CHANNELS } from '@commune-hub/protocol';
import AsyncRedisPersistence from 'aedes-persistence-redis/asyncPersistence.js';
import { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';

/** What aedes needs to be one broker of several: shared pub/sub (`mq`) and shared sessions (`persistence`). */
export interface BrokerClusterParts {
  /** The broker's id on the shared pub/sub: the node id, so /healthz and aedes' $SYS topics agree. */
  id: string;
  mq: unknown;
  persistence: unknown;
}

/** Topics no one may ever subscribe to (policy.ts: a device subscribes to its own `cmd` only). */
const UPLINK = new RegExp(`^commune/v1/[^/]+/(${DEVICE_CHANNELS.join('|')})$`);

interface Emitter {
  emit(packet: { topic: string }, cb?: (err?: Error) => void): void;
}

/**
 * aedes hands every PUBLISH to its emitter; on Redis that is one PUBLISH round trip per heartbeat, to
 * deliver it to nobody: device uplink topics have no subscribers by policy. They skip the emitter (their
 * retained copy is still stored in the shared persistence by aedes before this point); everything else
 * — commands, $SYS, a gateway's probe config — goes through Redis to every node.
 */
export function skipUplink<T extends Emitter>(mq: T): T {
  const emit = mq.emit.bind(mq);
  return new Proxy(mq, {
    get(target, prop, receiver) {
      if (prop === 'emit') {
        return (packet: { topic: string }, cb?: (err?: Error) => void) => {
          if (UPLINK.test(packet.topic)) {
            cb?.();
            return;
          }
          emit(packet, cb);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The Redis connections of one node: commands (leases, relay publish), a subscriber (relay), and aedes'
 * emitter and persistence (each with connections of its own, as those libraries make them).
 */
export class ClusterTransport {
  readonly commands: Redis;
  readonly subscriber: Redis;
  private persistence: { destroy(): Promise<void> } | undefined;

  constructor(
    private readonly url: string,
    readonly nodeId: string,
  ) {
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: true };
    this.commands = new Redis(url, options);
    this.subscriber = new Redis(url, options);
  }

  /** Connects, or throws: a node that cannot reach Redis must not start as if it were alone. */
  async connect(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
    await this.commands.ping();
  }

  brokerParts(): BrokerClusterParts {
    const mq = mqemitterRedis({ connectionString: this.url });
    const persistence = new AsyncRedisPersistence({ conn: new Redis(this.url) });
    this.persistence = persistence as never;
    return { id: this.nodeId, mq: skipUplink(mq as unknown as Emitter), persistence };
  }

  /** After the broker stopped (aedes closes the emitter itself; closing twice is harmless here). */
  async close(): Promise<void> {
    const persistence = this.persistence;
    this.persistence = undefined;
    if (persistence) await persistence.destroy().catch(() => {});
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}
