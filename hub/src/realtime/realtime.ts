import type { Server as HttpServer } from 'node:http';
import {
  type ClientToServerEvents,
  type DeviceDiff,
  type DeviceView,
  REALTIME_FLUSH_MS,
  type ServerToClientEvents,
} from '@commune-hub/protocol';
import { Server } from 'socket.io';
import type { Logger } from '../logger.ts';

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
      socket.emit('devices:snapshot', { at: new Date().toISOString(), devices: this.snapshot() });
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

  flush(): void {
    if (!this.io || this.pending.size === 0) return;
    const changes = [...this.pending.values()];
    this.pending = new Map();
    this.io.emit('devices:diff', { at: new Date().toISOString(), changes });
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
