import type { Server as HttpServer } from 'node:http';
import {
  type ClientToServerEvents,
  type DeviceDiff,
  DevicesFilter,
  type DeviceView,
  REALTIME_FLUSH_MS,
  type ServerToClientEvents,
} from '@commune-hub/protocol';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Server, type Socket } from 'socket.io';
import type { Logger } from '../logger.ts';

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

  constructor(
    private readonly httpServer: HttpServer,
    private readonly snapshot: () => DeviceView[],
    private readonly placeOf: DevicePlace,
    private readonly logger: Logger,
    private readonly flushMs = REALTIME_FLUSH_MS,
  ) {}

  start(): void {
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(this.httpServer, {
      serveClient: false,
      // Same-origin dashboard by default; the dev server proxies.
      cors: { origin: false },
    });
    io.on('connection', (socket) => {
      this.sendSnapshot(socket);
      socket.on('devices:filter', (filter, ack) => {
        if (!filterCheck.Check(filter)) {
          ack?.({ ok: false, error: 'expected {villageIds?: string[], kinds?: DeviceKind[]}' });
          return;
        }
        socket.data.filter = {
          villageIds: filter.villageIds ? new Set(filter.villageIds) : null,
          kinds: filter.kinds ? new Set(filter.kinds) : null,
        } satisfies ClientFilter;
        this.sendSnapshot(socket);
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

  private matches(filter: ClientFilter | undefined, villageId: string, kind: string): boolean {
    return (
      !filter ||
      ((!filter.villageIds || filter.villageIds.has(villageId)) && (!filter.kinds || filter.kinds.has(kind)))
    );
  }

  private sendSnapshot(socket: Socket<ClientToServerEvents, ServerToClientEvents>): void {
    const filter = socket.data.filter as ClientFilter | undefined;
    const devices = this.snapshot().filter((d) => this.matches(filter, d.villageId, d.kind));
    socket.emit('devices:snapshot', { at: new Date().toISOString(), devices });
  }

  flush(): void {
    if (!this.io || this.pending.size === 0) return;
    const changes = [...this.pending.values()];
    this.pending = new Map();
    const at = new Date().toISOString();
    // Clients without a filter share one broadcast; filtered ones get their own subset.
    const unfiltered: string[] = [];
    for (const socket of this.io.sockets.sockets.values()) {
      const filter = socket.data.filter as ClientFilter | undefined;
      if (!filter) {
        unfiltered.push(socket.id);
        continue;
      }
      const mine = changes.filter((c) => {
        const place = this.placeOf(c.id);
        return place !== undefined && this.matches(filter, place.villageId, place.kind);
      });
      if (mine.length > 0) socket.emit('devices:diff', { at, changes: mine });
    }
    if (unfiltered.length > 0) this.io.to(unfiltered).emit('devices:diff', { at, changes });
  }

  /** Sends one event to every connected dashboard (small, infrequent payloads such as criteria results). */
  broadcast<E extends 'criteria:evaluated'>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.io?.emit(event, ...args);
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
