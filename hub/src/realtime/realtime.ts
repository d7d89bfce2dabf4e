import type { Server as HttpServer } from 'node:http';
import {
  type AlertsChanged,
  type ClientToServerEvents,
  type DeviceDiff,
  DevicesFilter,
  type DeviceView,
  type FeedChangeCause,
  REALTIME_FLUSH_MS,
  type ServerToClientEvents,
} from '@commune-hub/protocol';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import client from 'prom-client';
import { Server, type Socket } from 'socket.io';
import { type Clock, systemClock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { SocketAccess, SocketScope } from './access.ts';
import { DEFAULT_SOCKET_LIMITS, SocketBudget, type SocketLimits } from './socket-budget.ts';

const filterCheck = TypeCompiler.Compile(DevicesFilter);

/** Where a device stands, for matching it against clients' filters. */
export type DevicePlace = (id: string) => { villageId: string; kind: string } | undefined;

interface ClientFilter {
  villageIds: ReadonlySet<string> | null;
  kinds: ReadonlySet<string> | null;
}

/**
 * socket.io on the hub's HTTP server: a snapshot on connect, then coalesced diffs — many changes to one
 * device inside a flush window become one diff, and a window's diffs go out in one message.
 */
export class Realtime {
  private io: Server<ClientToServerEvents, ServerToClientEvents> | undefined;
  private pending = new Map<string, DeviceDiff>();
  private timer: NodeJS.Timeout | undefined;
  /** Why the home feed changed since the last flush: one `feed:changed` per window, however many reports. */
  private feedCauses = new Set<FeedChangeCause>();
  /** Events refused and snapshots deferred by a socket's budget (registered on the hub's /metrics). */
  readonly limited = new client.Counter({
    name: 'hub_realtime_limited_total',
    help: 'socket.io events refused (event) and full snapshots deferred (snapshot) by the per-socket budget',
    labelNames: ['what'] as const,
    registers: [],
  });
  /** Sockets re-checked after their user's access changed or their session expired: closed, or re-scoped. */
  readonly reauthorized = new client.Counter({
    name: 'hub_realtime_reauthorized_total',
    help: "Open sockets re-checked after their user's access changed or their session ended, by outcome (closed, rescoped)",
    labelNames: ['outcome'] as const,
    registers: [],
  });
  private limits: SocketLimits = DEFAULT_SOCKET_LIMITS;

  constructor(
    private readonly httpServer: HttpServer,
    private readonly snapshot: () => DeviceView[],
    private readonly placeOf: DevicePlace,
    private readonly logger: Logger,
    private readonly flushMs = REALTIME_FLUSH_MS,
    private readonly clock: Clock = systemClock,
    /** The whole view of one device, sent to a filtered client a device moved into. */
    private readonly viewOf: (id: string) => DeviceView | undefined = (id) =>
      this.snapshot().find((d) => d.id === id),
  ) {}

  private access: SocketAccess | undefined;

  /**
   * Who may open a socket and what each sees (hub/src/realtime/access.ts); before start(). Without it
   * (bench and unit tests) every socket sees everything.
   */
  setAccess(access: SocketAccess): void {
    this.access = access;
  }

  private recheckEveryMs = 60_000;
  private lastSweep = 0;

  /** How often every open socket's access is checked again, whatever the bus said (default 60 s). */
  setRecheckEvery(ms: number): void {
    this.recheckEveryMs = ms;
  }

  /** Per-socket budgets (HUB_SOCKET_* settings); before start(). */
  setLimits(limits: SocketLimits): void {
    this.limits = limits;
  }

  start(): void {
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(this.httpServer, {
      serveClient: false,
      // Same-origin dashboard by default; the dev server proxies.
      cors: { origin: false },
      // A page of another site must not open a socket with the official's cookie (finding 1): refused at the handshake.
      ...(this.access && {
        allowRequest: (req, callback) => callback(null, this.access!.originAllowed(req)),
      }),
    });
    const access = this.access;
    if (access) {
      // The store may be PostgreSQL (HUB_DB=postgres): the check is awaited; a store error refuses the socket.
      io.use((socket, next) => {
        Promise.resolve(access.authenticate(socket.handshake.headers, socket.handshake.auth)).then(
          (scope) => {
            if (!scope) return next(new Error('HUB_ERR_UNAUTHORIZED: sign in, or pass auth: { token }'));
            socket.data.scope = scope;
            next();
          },
          (err: Error) => next(new Error(`HUB_ERR_STORE_UNREACHABLE: ${err.message}`)),
        );
      });
    }
    io.on('connection', (socket) => {
      const budget = new SocketBudget(this.limits, this.clock.now());
      socket.data.budget = budget;
      this.sendSnapshot(socket);
      socket.on('devices:filter', (filter, ack) => {
        if (!budget.takeEvent(this.clock.now())) {
          this.limited.inc({ what: 'event' });
          ack?.({ ok: false, error: 'HUB_ERR_RATE_LIMITED: too many events, slow down' });
          return;
        }
        if (!filterCheck.Check(filter)) {
          ack?.({ ok: false, error: 'expected {villageIds?: string[], kinds?: DeviceKind[]}' });
          return;
        }
        socket.data.filter = {
          villageIds: filter.villageIds ? new Set(filter.villageIds) : null,
          kinds: filter.kinds ? new Set(filter.kinds) : null,
        } satisfies ClientFilter;
        this.offerSnapshot(socket);
        ack?.({ ok: true });
      });
    });
    this.io = io;
    this.lastSweep = this.clock.now();
    this.timer = setInterval(() => this.flush(), this.flushMs);
    this.timer.unref();
  }

  get clients(): number {
    return this.io?.engine.clientsCount ?? 0;
  }

  push(diff: DeviceDiff): void {
    const prior = this.pending.get(diff.id);
    this.pending.set(diff.id, prior ? { ...prior, ...diff } : diff);
  }

  /**
   * A user's access changed (role, communes, disabled, removed; a session logged out or a token revoked):
   * each of their open sockets is checked again with the credentials it connected with. Refused: closed at
   * once. Still allowed: it takes the new scope and gets a new snapshot of what it sees now.
   */
  reauthorize(userId: string): void {
    if (!this.io) return;
    for (const socket of [...this.io.sockets.sockets.values()]) {
      const scope = socket.data.scope as SocketScope | undefined;
      if (scope?.userId === userId) this.recheck(socket);
    }
  }

  /** `onlyIfChanged`: the periodic sweep re-scopes silently unless what the socket may see changed. */
  private recheck(socket: Socket<ClientToServerEvents, ServerToClientEvents>, onlyIfChanged = false): void {
    const access = this.access;
    if (!access) return;
    // The store may be PostgreSQL (HUB_DB=postgres): awaited. A store error leaves the socket as it was
    // (the next sweep checks it again) rather than closing every dashboard during a database blip.
    Promise.resolve(access.authenticate(socket.handshake.headers, socket.handshake.auth, true)).then(
      (scope) => {
        if (socket.connected) this.applyRecheck(socket, scope, onlyIfChanged);
      },
      (err: Error) => this.logger.warn({ err: err.message }, 'socket access re-check failed; kept as it was'),
    );
  }

  private applyRecheck(
    socket: Socket<ClientToServerEvents, ServerToClientEvents>,
    scope: SocketScope | null,
    onlyIfChanged: boolean,
  ): void {
    if (!scope) {
      this.reauthorized.inc({ outcome: 'closed' });
      socket.disconnect(true);
      return;
    }
    const before = socket.data.scope as SocketScope | undefined;
    socket.data.scope = scope;
    if (onlyIfChanged && before?.key === scope.key) return;
    this.reauthorized.inc({ outcome: 'rescoped' });
    // Not counted against the socket's budget: the hub, not the client, changed what it may see.
    this.sendSnapshot(socket);
  }

  /**
   * Sockets whose session ran out are checked again (and closed); every socket is checked again once per
   * `recheckEveryMs`, which catches access changed where this node's bus did not hear it (another node of
   * a cluster, or the users CLI on the database).
   */
  private recheckDue(now: number): void {
    if (!this.io || !this.access) return;
    const sweep = now - this.lastSweep >= this.recheckEveryMs;
    if (sweep) this.lastSweep = now;
    for (const socket of [...this.io.sockets.sockets.values()]) {
      const scope = socket.data.scope as SocketScope | undefined;
      if (scope?.expiresAt != null && scope.expiresAt <= now) this.recheck(socket);
      else if (sweep) this.recheck(socket, true);
    }
  }

  /** Whether a socket follows a device standing there: in its caller's scope, and in its filter. */
  private sees(socket: Socket, villageId: string, kind: string): boolean {
    const scope = socket.data.scope as SocketScope | undefined;
    return (!scope || scope.allowsVillage(villageId)) && this.matches(socket.data.filter, villageId, kind);
  }

  private matches(filter: ClientFilter | undefined, villageId: string, kind: string): boolean {
    return (
      !filter ||
      ((!filter.villageIds || filter.villageIds.has(villageId)) && (!filter.kinds || filter.kinds.has(kind)))
    );
  }

  /** A snapshot the client asked for: sent now if its budget allows, else owed to a later flush. */
  private offerSnapshot(socket: Socket<ClientToServerEvents, ServerToClientEvents>): void {
    const budget = socket.data.budget as SocketBudget | undefined;
    if (!budget || budget.takeSnapshot(this.clock.now())) this.sendSnapshot(socket);
    else this.limited.inc({ what: 'snapshot' });
  }

  private sendOwedSnapshots(): void {
    if (!this.io) return;
    const now = this.clock.now();
    for (const socket of this.io.sockets.sockets.values()) {
      const budget = socket.data.budget as SocketBudget | undefined;
      if (budget?.owed && budget.takeSnapshot(now)) this.sendSnapshot(socket);
    }
  }

  private sendSnapshot(socket: Socket<ClientToServerEvents, ServerToClientEvents>): void {
    const devices = this.snapshot().filter((d) => this.sees(socket, d.villageId, d.kind));
    // What a scoped or filtered client holds: a later change tells it a device arrived or left by this.
    socket.data.known = needsOwnDiffs(socket) ? new Set(devices.map((d) => d.id)) : undefined;
    socket.emit('devices:snapshot', { at: new Date(this.clock.now()).toISOString(), devices });
  }

  /** Alert changes go to every client straight away: they are few, and the banner must not lag. */
  pushAlert(payload: AlertsChanged): void {
    if (!this.io) return;
    for (const socket of this.io.sockets.sockets.values()) {
      const scope = socket.data.scope as SocketScope | undefined;
      if (!scope || scope.allowsAlert(payload.alert)) socket.emit('alerts:changed', payload);
    }
  }

  /** The home feed has new items (a report, an alert fired/resolved, maintenance): clients refetch it. */
  feedChanged(cause: FeedChangeCause): void {
    this.feedCauses.add(cause);
  }

  flush(): void {
    this.recheckDue(this.clock.now());
    // Owed snapshots first: they carry the state the diffs below apply to.
    this.sendOwedSnapshots();
    if (!this.io) return;
    if (this.feedCauses.size > 0) {
      // No data, only "refetch /api/feed": the feed route itself answers within each user's scope.
      const causes = [...this.feedCauses];
      this.feedCauses = new Set();
      this.io.emit('feed:changed', { at: new Date(this.clock.now()).toISOString(), causes });
    }
    if (this.pending.size === 0) return;
    const changes = [...this.pending.values()];
    this.pending = new Map();
    const at = new Date(this.clock.now()).toISOString();
    // Clients without a filter share one broadcast; filtered ones get their own subset.
    const unfiltered: string[] = [];
    for (const socket of this.io.sockets.sockets.values()) {
      if (!needsOwnDiffs(socket)) {
        unfiltered.push(socket.id);
        continue;
      }
      // Whether the client held the device before is what it was sent, not where the device stood: a
      // village moved to another commune leaves its old commune's lists and enters the new one's, whoever
      // announced it (this node or another, REST or a PostgreSQL follow).
      if (!socket.data.known) socket.data.known = new Set<string>();
      const known = socket.data.known as Set<string>;
      const mine: DeviceDiff[] = [];
      const removed: string[] = [];
      for (const c of changes) {
        const place = this.placeOf(c.id);
        const now = place !== undefined && this.sees(socket, place.villageId, place.kind);
        const before = known.has(c.id);
        if (now && before) mine.push(c);
        else if (now) {
          // Moved into this client's view: it has never seen the device, so it gets all of it.
          const view = this.viewOf(c.id);
          if (view) {
            mine.push(view);
            known.add(c.id);
          }
        } else if (before) {
          removed.push(c.id);
          known.delete(c.id);
        }
      }
      if (mine.length > 0 || removed.length > 0) {
        socket.emit(
          'devices:diff',
          removed.length > 0 ? { at, changes: mine, removed } : { at, changes: mine },
        );
      }
    }
    if (unfiltered.length > 0) this.io.to(unfiltered).emit('devices:diff', { at, changes });
  }

  /**
   * Sends one event to every dashboard that sees the whole hub (small, infrequent payloads such as the
   * hub-wide criteria results; a commune-scoped user reads its own figures over REST).
   */
  broadcast<E extends 'criteria:evaluated'>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (!this.io) return;
    for (const socket of this.io.sockets.sockets.values()) {
      const scope = socket.data.scope as SocketScope | undefined;
      if (!scope || scope.isAll) socket.emit(event, ...args);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const io = this.io;
    this.io = undefined;
    if (io) {
      io.disconnectSockets(true);
      // io.close() would also close the HTTP server, which fastify owns.
      io.engine.close();
      io.removeAllListeners();
      this.logger.debug('realtime stopped');
    }
  }
}

/** A socket that sees only part of the hub (a commune scope or a filter) gets diffs of its own. */
function needsOwnDiffs(socket: Socket): boolean {
  const scope = socket.data.scope as SocketScope | undefined;
  return socket.data.filter !== undefined || (scope !== undefined && !scope.isAll);
}
