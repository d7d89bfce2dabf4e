import type {
  ClientToServerEvents,
  DevicesDiff,
  DevicesSnapshot,
  DeviceView,
  ServerToClientEvents,
} from '@commune-hub/protocol';
import type { QueryClient } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';
import { DEVICES_QUERY_KEY } from '../devices/index.ts';
import { applyDiffs, type PendingChange } from './applyDiffs.ts';
import { animationFrameScheduler, DiffBatcher, type FrameScheduler } from './diffBatcher.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface SocketManagerOptions {
  /** Where the hub is; default: the page's own origin. */
  url?: string;
  scheduler?: FrameScheduler;
  /**
   * The hub closed the socket, or refused to open it: it does so when the session ended or the user was
   * disabled, but also when it shuts down for a restart. The app checks which (web/src/main.tsx).
   */
  onRefused?: () => void;
}

/**
 * Owns the socket.io connection to the hub. The snapshot replaces the device list in the query cache;
 * diffs are batched per animation frame and merged into it. Connection state is observable for the
 * header badge through subscribe/getState (useSyncExternalStore).
 */
export class SocketManager {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private state: ConnectionState = 'connecting';
  private readonly listeners = new Set<() => void>();
  private readonly batcher: DiffBatcher;
  /** Listeners other features added for their own events (e.g. alerts:changed), kept across reconnects. */
  private readonly extra: Array<[keyof ServerToClientEvents, (...args: never[]) => void]> = [];

  constructor(
    private readonly queryClient: QueryClient,
    private readonly options: SocketManagerOptions = {},
  ) {
    this.batcher = new DiffBatcher(
      (pending) => this.applyBatch(pending),
      options.scheduler ?? animationFrameScheduler,
    );
  }

  start(): void {
    if (this.socket) return;
    const opts = { transports: ['websocket', 'polling'] };
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = this.options.url
      ? io(this.options.url, opts)
      : io(opts);
    socket.on('connect', () => this.setState('live'));
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') {
        this.setState('offline'); // our own stop()
        return;
      }
      // socket.io retries every other cause by itself, but not a disconnect the server initiated
      // (what a hub does when it shuts down for a restart): ask for it, its backoff then applies.
      if (reason === 'io server disconnect') {
        socket.connect();
        this.options.onRefused?.();
      }
      this.setState('reconnecting');
    });
    socket.on('connect_error', () => {
      // Not active: the hub refused the handshake itself (no credentials it accepts), socket.io gives up.
      if (!socket.active) this.options.onRefused?.();
      this.setState(socket.active ? 'reconnecting' : 'offline');
    });
    socket.on('devices:snapshot', (snapshot) => this.onSnapshot(snapshot));
    socket.on('devices:diff', (diff) => this.onDiff(diff));
    for (const [event, handler] of this.extra) socket.on(event, handler as never);
    this.socket = socket;
  }

  stop(): void {
    this.batcher.clear();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.setState('offline');
  }

  /** Listens to one more server event on the shared connection; returns the function that stops it. */
  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
    const entry: [keyof ServerToClientEvents, (...args: never[]) => void] = [event, handler];
    this.extra.push(entry);
    this.socket?.on(event, handler as never);
    return () => {
      const i = this.extra.indexOf(entry);
      if (i >= 0) this.extra.splice(i, 1);
      this.socket?.off(event, handler as never);
    };
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private onSnapshot(snapshot: DevicesSnapshot): void {
    // Diffs queued before the snapshot are older than it; a REST fetch still in flight would be too.
    this.batcher.clear();
    void this.queryClient.cancelQueries({ queryKey: DEVICES_QUERY_KEY });
    this.queryClient.setQueryData<DeviceView[]>(DEVICES_QUERY_KEY, snapshot.devices);
  }

  private onDiff(diff: DevicesDiff): void {
    this.batcher.push(diff.changes, diff.removed);
  }

  private applyBatch(pending: ReadonlyMap<string, PendingChange>): void {
    const current = this.queryClient.getQueryData<DeviceView[]>(DEVICES_QUERY_KEY);
    if (!current) {
      // Nothing to merge into yet: the snapshot or the REST answer will bring the whole list.
      void this.queryClient.invalidateQueries({ queryKey: DEVICES_QUERY_KEY });
      return;
    }
    const { devices, unknown } = applyDiffs(current, pending);
    this.queryClient.setQueryData<DeviceView[]>(DEVICES_QUERY_KEY, devices);
    if (unknown.length > 0) void this.queryClient.invalidateQueries({ queryKey: DEVICES_QUERY_KEY });
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
