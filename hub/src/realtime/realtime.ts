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
interface Place {
  villageId: string;
  kind: string;
}

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
  /** Where moved devices stood when the window's first move arrived: filtered clients may see them leave or arrive. */
  private movedFrom = new Map<string, Place>();
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

  /** A device's village or kind changed: `before` is where it stood, for clients that follow only some places. */
  moved(diff: DeviceDiff, before: Place): void {
    if (!this.movedFrom.has(diff.id)) this.movedFrom.set(diff.id, before);
    this.push(diff);
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
    const movedFrom = this.movedFrom;
    this.pending = new Map();
    this.movedFrom = new Map();
    const at = new Date(this.clock.now()).toISOString();
    // Clients without a filter share one broadcast; filtered ones get their own subset.
    const unfiltered: string[] = [];
    for (const socket of this.io.sockets.sockets.values()) {
      const filter = socket.data.filter as ClientFilter | undefined;
      const scope = socket.data.scope as SocketScope | undefined;
      if (!filter && (!scope || scope.isAll)) {
        unfiltered.push(socket.id);
        continue;
      }
      const mine: DeviceDiff[] = [];
      const removed: string[] = [];
      for (const c of changes) {
        const place = this.placeOf(c.id);
        const now = place !== undefined && this.sees(socket, place.villageId, place.kind);
        const from = movedFrom.get(c.id);
        const before = from ? this.sees(socket, from.villageId, from.kind) : now;
        if (now && before) mine.push(c);
        else if (now) {
          // Moved into this client's view: it has never seen the device, so it gets all of it.
          const view = this.viewOf(c.id);
          if (view) mine.push(view);
        } else if (before) removed.push(c.id);
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
