import type { DeviceDiff } from '@commune-hub/protocol';
import { coalesceInto, type PendingChange } from './applyDiffs.ts';

export interface FrameScheduler {
  request(cb: () => void): number;
  cancel(handle: number): void;
}

/** The browser's frame clock. Tests pass their own scheduler. */
export const animationFrameScheduler: FrameScheduler = {
  request: (cb) => requestAnimationFrame(() => cb()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/**
 * Queues device diffs as they arrive and hands them over at most once per frame, coalesced per device
 * (the WebSocketManager pattern of zigbee2mqtt-windfront): however many diffs the socket delivers,
 * React renders once per frame, so thousands of devices stay smooth.
 */
export class DiffBatcher {
  private pending = new Map<string, PendingChange>();
  private handle: number | null = null;

  constructor(
    private readonly flushTo: (pending: ReadonlyMap<string, PendingChange>) => void,
    private readonly scheduler: FrameScheduler = animationFrameScheduler,
  ) {}

  /** `removed`: devices that left this client's view. */
  push(changes: readonly DeviceDiff[], removed: readonly string[] = []): void {
    if (changes.length === 0 && removed.length === 0) return;
    coalesceInto(this.pending, changes, removed);
    if (this.handle === null) this.handle = this.scheduler.request(() => this.flush());
  }

  /** Hands over everything queued now (also called by the scheduled frame). */
  flush(): void {
    if (this.handle !== null) {
      this.scheduler.cancel(this.handle);
      this.handle = null;
    }
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushTo(batch);
  }

  /** Drops queued diffs: a fresh snapshot supersedes them. */
  clear(): void {
    if (this.handle !== null) this.scheduler.cancel(this.handle);
    this.handle = null;
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}
