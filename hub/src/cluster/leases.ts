import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

/** One node as the others see it: its last lease renewal, and whether that is recent enough to count. */
export interface NodeLease {
  id: string;
  startedAt: number;
  /** Last renewal, on the renewing node's clock (nodes are expected to run NTP). */
  leaseAt: number;
  alive: boolean;
  /** Left cleanly (stopped) rather than died. */
  stopped: boolean;
}

const NODES_KEY = 'hub:cluster:nodes';
/** A dead node stays listed (for /healthz) this long after its last lease. */
const FORGET_AFTER_MS = 24 * 3600_000;

/**
 * Node leases in Redis: each node writes its lease (a hash field, its last renewal time) every third of
 * `leaseMs` and reads everyone's. A node whose lease is older than `leaseMs` is dead: `onDead` is called
 * once, on every surviving node, within `leaseMs` plus one renewal period of its last renewal.
 * Timers are owned by start()/stop(); times come from the injected clock.
 */
export class NodeLeases {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private known = new Map<string, NodeLease>();
  private renewing: Promise<void> | undefined;
  /**
   * When everyone's leases were last read (sent, on this node's clock): `leader()` counts every lease
   * written before then. Leadership settles and goes stale on it.
   */
  readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly redis: Redis,
    readonly self: string,
    private readonly leaseMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onDead: (nodeId: string) => void,
  ) {}

  /** Writes the first lease (so this node counts at once) and starts renewing. */
  async start(): Promise<void> {
    this.startedAt = this.clock.now();
    await this.renew();
    this.timer = setInterval(() => void this.tick(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.renewing) return; // a slow Redis: one renewal at a time
    this.renewing = this.renew()
      .catch((err: unknown) => this.logger.warn({ err }, 'cluster lease renewal failed'))
      .finally(() => {
        this.renewing = undefined;
      });
    await this.renewing;
  }

  /** Reads everyone's lease without writing this node's (at boot, before it counts as a node). */
  async refresh(): Promise<void> {
    const asked = this.clock.now();
    this.read((await this.redis.hgetall(NODES_KEY)) ?? {}, this.clock.now(), asked);
  }

  /** Renews this node's lease and re-reads everyone's. Public for fake-clock tests. */
  async renew(): Promise<void> {
    const now = this.clock.now();
    const mine = JSON.stringify({ startedAt: this.startedAt, leaseAt: now });
    const [, all] =
      (await this.redis.multi().hset(NODES_KEY, this.self, mine).hgetall(NODES_KEY).exec()) ?? [];
    this.read((all?.[1] ?? {}) as Record<string, string>, this.clock.now(), now);
  }

  /** `asked`: when the read was sent; every lease written before then is in `fields`. */
  private read(fields: Record<string, string>, now: number, asked: number): void {
    const next = new Map<string, NodeLease>();
    const forget: string[] = [];
    for (const [id, raw] of Object.entries(fields)) {
      let parsed: { startedAt: number; leaseAt: number; stopped?: boolean };
      try {
        parsed = JSON.parse(raw) as typeof parsed;
      } catch {
        continue;
      }
      if (now - parsed.leaseAt > FORGET_AFTER_MS) {
        forget.push(id);
        continue;
      }
      const alive = id === this.self || (!parsed.stopped && now - parsed.leaseAt <= this.leaseMs);
      next.set(id, {
        id,
        startedAt: parsed.startedAt,
        leaseAt: parsed.leaseAt,
        alive,
        stopped: !!parsed.stopped,
      });
    }
    // A node that restarted under the same id (a new startedAt) died as well: its devices are not its own.
    const died = [...next.values()].filter((n) => {
      const before = this.known.get(n.id);
      return before?.alive === true && (!n.alive || before.startedAt !== n.startedAt) && n.id !== this.self;
    });
    this.known = next;
    this.readAt = asked;
    if (forget.length > 0) void this.redis.hdel(NODES_KEY, ...forget).catch(() => {});
    for (const node of died) {
      this.logger.warn(
        { node: node.id, leaseAt: new Date(node.leaseAt).toISOString() },
        node.stopped ? 'cluster node left' : 'cluster node died',
      );
      this.onDead(node.id);
    }
  }

  isAlive(nodeId: string): boolean {
    return nodeId === this.self || this.known.get(nodeId)?.alive === true;
  }

  /** The node that acts for devices no live node holds: the smallest id among the living. */
  leader(): string {
    let leader = this.self;
    for (const node of this.known.values()) if (node.alive && node.id < leader) leader = node.id;
    return leader;
  }

  nodes(): NodeLease[] {
    return [...this.known.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Stops renewing and withdraws the lease: the others see a clean leave at once, not a death. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.renewing;
    const gone = JSON.stringify({ startedAt: this.startedAt, leaseAt: this.clock.now(), stopped: true });
    await this.redis.hset(NODES_KEY, this.self, gone).catch(() => {});
  }
}
