import { DEVICE_CHANNELS } from '@commune-hub/protocol';

/** Topics no one may ever subscribe to (policy.ts: a device subscribes to its own `cmd` only). */
const UPLINK = new RegExp(`^commune/v1/[^/]+/(${DEVICE_CHANNELS.join('|')})$`);

export interface Emitter {
  emit(packet: { topic: string }, cb?: (err?: Error) => void): void;
}

/**
 * aedes hands every PUBLISH to its emitter, to deliver it to nobody: device uplink topics have no
 * subscribers by policy, and ingest already took the message in authorizePublish. Uplink topics skip the
 * emitter (a retained copy is still stored by aedes' persistence before this point); everything else —
 * commands, $SYS, a gateway's probe config — goes through. On one node that saves aedes' topic matching
 * and queueing per heartbeat; in a cluster (mqemitter-redis) one Redis PUBLISH round trip per heartbeat.
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

export interface SubscriptionLookup {
  subscriptionsByTopic(topic: string): Promise<unknown[]>;
}

/**
 * aedes also looks up, for every QoS 1 PUBLISH, the persistent sessions subscribed to its topic, to queue
 * it for them while they are offline (aedes.js enqueueOffline). For a device uplink that answer is always
 * empty (no one may subscribe to one), so uplinks get it without the lookup: one trie walk and one promise
 * less per heartbeat. Other topics are looked up as before.
 */
export function skipUplinkLookups<T extends SubscriptionLookup>(persistence: T): T {
  const lookup = persistence.subscriptionsByTopic.bind(persistence);
  persistence.subscriptionsByTopic = (topic: string) =>
    UPLINK.test(topic) ? Promise.resolve([]) : lookup(topic);
  return persistence;
}
