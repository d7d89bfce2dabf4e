// aedes-persistence-redis ships no types for its async class, the one aedes 1.x takes (persistence.js
// wraps it in the callback API of aedes 0.x).
declare module 'aedes-persistence-redis/asyncPersistence.js' {
  import type { Redis } from 'ioredis';
  export default class AsyncRedisPersistence {
    constructor(opts?: { conn?: Redis; maxSessionDelivery?: number });
    setup(broker: unknown): Promise<void>;
    destroy(): Promise<void>;
  }
}
