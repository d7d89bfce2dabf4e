import { Readable } from 'node:stream';
import AsyncRedisPersistence from 'aedes-persistence-redis/asyncPersistence.js';
import { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';
import { type Emitter, skipUplink } from '../broker/uplink.ts';

// skipUplink lives with the broker: a single node uses it too (issue 15), without loading Redis clients.
export { skipUplink };

/** What aedes needs to be one broker of several: shared pub/sub (`mq`) and shared sessions (`persistence`). */
export interface BrokerClusterParts {
  /** The broker's id on the shared pub/sub: the node id, so /healthz and aedes' $SYS topics agree. */
  id: string;
  mq: unknown;
  persistence: unknown;
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
    /** A Redis outage is reported here (ioredis reconnects by itself); it must never crash the node. */
    private readonly onError: (err: Error, connection: string) => void = () => {},
  ) {
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: true };
    this.commands = this.watch(new Redis(url, options), 'commands');
    this.subscriber = this.watch(new Redis(url, options), 'subscriber');
  }

  private watch<T extends { on(event: 'error', fn: (err: Error) => void): unknown }>(
    conn: T,
    name: string,
  ): T {
    conn.on('error', (err) => this.onError(err, name));
    return conn;
  }

  /** Connects, or throws: a node that cannot reach Redis must not start as if it were alone. */
  async connect(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
    await this.commands.ping();
  }

  brokerParts(): BrokerClusterParts {
    const mq = mqemitterRedis({ connectionString: this.url });
    // mqemitter-redis re-emits its connections' errors on `state`; unheard, an 'error' event kills the process.
    this.watch(
      (mq as unknown as { state: { on(e: 'error', fn: (err: Error) => void): void } }).state,
      'mqemitter',
    );
    const persistence = new AsyncRedisPersistence({ conn: this.watch(new Redis(this.url), 'persistence') });
    retainedAsStream(persistence as unknown as RetainedSource);
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

interface RetainedSource {
  createRetainedStreamCombi(patterns: string[]): AsyncIterable<unknown>;
}

/**
 * aedes 1.x pipes the retained messages of a SUBSCRIBE (`stream.pipe`), but aedes-persistence-redis 11
 * returns an async generator: the first subscription on a node (a gateway's `cmd`) threw and killed the
 * process. A Readable over the same generator is what aedes' own memory persistence returns.
 */
function retainedAsStream(persistence: RetainedSource): void {
  const combi = persistence.createRetainedStreamCombi.bind(persistence);
  persistence.createRetainedStreamCombi = (patterns) => Readable.from(combi(patterns));
}
