import {
  type DeviceStatus,
  GRACE_FACTOR,
  type HealthState,
  type Metrics,
  type TransitionReason,
} from '@commune-hub/protocol';
import type { Clock } from '../clock.ts';
import { type Ownership, SOLE_NODE } from '../cluster/ownership.ts';
import type { DeviceRecord, PersistedLiveState } from '../registry/registry.ts';
import type { TransitionRow } from '../store/types.ts';
import { type LivenessEvent, nextStatus } from './transition.ts';

export interface LiveDevice extends PersistedLiveState {
  id: string;
  graceMs: number;
  /** Hub time after which silence means offline; null when nothing vouches for the device. */
  deadline: number | null;
  /** Health the newest heartbeat reported: where the device returns to after maintenance. */
  health: HealthState;
  /** End of the maintenance window the device is in. */
  maintenanceEnd: number | null;
}

export type MaintenanceLookup = (deviceId: string, at: number) => { start: number; end: number } | undefined;

export interface HeartbeatInput {
  ts: number;
  seq: number;
  st: HealthState;
  m: Metrics;
  faults: string[];
}

/** How a heartbeat was taken: `live` moved the live state; `history` was only stored (buffered, backfilled, or stale). */
export type HeartbeatUse = 'live' | 'history';

export interface LivenessListener {
  onTransition(row: TransitionRow): void;
  /** The live view of a device changed (status, lastSeen, metrics). */
  onChange(device: LiveDevice): void;
  /** The device's connection ended (dropped, last will, or clean): its heartbeats vouch for nothing past `at`. */
  onDisconnect(deviceId: string, at: number): void;
}

export function graceMsFor(intervalS: number): number {
  return Math.round(intervalS * GRACE_FACTOR * 1000);
}

/**
 * Holds every device's live state and applies the pure state machine to it. Time comes only from the
 * injected clock; silence is detected by a sweep, but a timeout is recorded at its exact deadline.
 */
export class LivenessTracker {
  private readonly devices = new Map<string, LiveDevice>();
  private readonly dirty = new Set<string>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly lookup: (id: string) => DeviceRecord | undefined,
    private readonly listener: LivenessListener,
    private readonly sweepMs: number,
    private readonly maintenanceAt: MaintenanceLookup = () => undefined,
    /** Cluster mode: only the node holding a device's connection (or the leader) decides its transitions. */
    private readonly ownership: Ownership = SOLE_NODE,
  ) {}

  private fresh(record: DeviceRecord, deadline: number | null): LiveDevice {
    return {
      ...record.live,
      id: record.id,
      graceMs: graceMsFor(record.intervalS),
      deadline,
      health: 'ok',
      maintenanceEnd: null,
    };
  }

  /**
   * Loads the persisted state. Devices that were live when the hub stopped stay live with a fresh
   * grace from now: a hub restart is not device downtime, and they get time to reconnect.
   */
  start(records: Iterable<DeviceRecord>): void {
    const now = this.clock.now();
    for (const record of records) {
      const live = record.live.status === 'online' || record.live.status === 'degraded';
      const device = this.fresh(record, live ? now + graceMsFor(record.intervalS) : null);
      if (record.live.status === 'degraded') device.health = 'degraded';
      if (record.live.status === 'maintenance')
        device.maintenanceEnd = this.maintenanceAt(record.id, now)?.end ?? now;
      this.devices.set(record.id, device);
    }
    let lastTick = now;
    this.sweepTimer = setInterval(() => {
      const tick = this.clock.now();
      const stalled = tick - lastTick > this.sweepMs * 3;
      lastTick = tick;
      // After a stall (a loaded machine, a long GC), heartbeats that arrived meanwhile may still be unread in
      // the sockets; timers run before the I/O poll, so sweeping now would time out devices whose heartbeat
      // is already here. setImmediate runs after the poll: read them first, then sweep.
      if (stalled) setImmediate(() => this.sweep());
      else this.sweep();
    }, this.sweepMs);
    this.sweepTimer.unref?.();
  }

  stop(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  add(record: DeviceRecord): void {
    this.devices.set(record.id, this.fresh(record, null));
  }

  /** A device's interval changed: its grace follows from the next heartbeat on. */
  setInterval(id: string, intervalS: number): void {
    const device = this.devices.get(id);
    if (device) device.graceMs = graceMsFor(intervalS);
  }

  get(id: string): LiveDevice | undefined {
    return this.devices.get(id);
  }

  /** Device ids whose state changed since the last call, with their state: persisted in batches. */
  takeDirty(): Array<{ id: string; live: PersistedLiveState }> {
    const out: Array<{ id: string; live: PersistedLiveState }> = [];
    for (const id of this.dirty) {
      const d = this.devices.get(id);
      if (d) {
        out.push({
          id,
          live: {
            status: d.status,
            since: d.since,
            reason: d.reason,
            lastTs: d.lastTs,
            lastSeq: d.lastSeq,
            metrics: d.metrics,
            faults: d.faults,
          },
        });
      }
    }
    this.dirty.clear();
    return out;
  }

  /**
   * Applies a heartbeat. It moves live state only if it is the newest one heard and still vouches for
   * now (ts within the grace); an older or stale one is history: stored, counted in uptime, not live.
   */
  heartbeat(id: string, hb: HeartbeatInput): HeartbeatUse {
    const device = this.devices.get(id);
    if (!device) return 'history';
    this.ownership.claim(id);
    const now = this.clock.now();
    if (device.lastTs !== null && hb.ts <= device.lastTs) return 'history';
    device.lastTs = hb.ts;
    device.lastSeq = hb.seq;
    device.metrics = hb.m;
    device.faults = hb.faults;
    device.health = hb.st;
    this.dirty.add(id);
    if (now - hb.ts >= device.graceMs) {
      this.listener.onChange(device);
      return 'history';
    }
    device.deadline = now + device.graceMs;
    this.apply(device, { type: 'heartbeat', health: hb.st }, now);
    this.listener.onChange(device);
    return 'live';
  }

  /** A device's connection ended (the broker says so once per connection). */
  disconnect(id: string, graceful: boolean): void {
    const device = this.devices.get(id);
    if (!device || !this.ownership.acts(id)) return;
    // Disabling already cut the record and took the device offline; the connection it closes adds nothing.
    if (this.lookup(id)?.disabled) return;
    const now = this.clock.now();
    device.deadline = null;
    this.listener.onDisconnect(id, now);
    this.apply(device, { type: graceful ? 'shutdown' : 'disconnect' }, now);
  }

  /**
   * The gateway these devices are heard through lost its connection, and none has one of its own: their
   * heartbeats vouch for nothing past now (a cut, as for a device's own connection), offline at once with
   * reason `parent_down` instead of by timeout 2.5 intervals later. A disabled or maintenance device stays.
   */
  parentDown(ids: Iterable<string>): void {
    const now = this.clock.now();
    for (const id of ids) {
      const device = this.devices.get(id);
      if (!device || device.status === 'offline' || this.lookup(id)?.disabled) continue;
      if (!this.ownership.acts(id)) continue;
      device.deadline = null;
      this.listener.onDisconnect(id, now);
      this.apply(device, { type: 'parent-down' }, now);
    }
  }

  /**
   * An administrator disabled the device: offline now with reason `disabled`, and its heartbeats vouch for
   * nothing past this moment (a cut), whether or not it had a connection of its own to close.
   */
  disable(id: string): void {
    const device = this.devices.get(id);
    if (!device || !this.ownership.acts(id)) return;
    const now = this.clock.now();
    device.deadline = null;
    device.maintenanceEnd = null;
    this.listener.onDisconnect(id, now);
    this.apply(device, { type: 'disabled' }, now);
  }

  /** Maintenance windows of these devices changed: enter or leave maintenance now, not at the next sweep. */
  maintenanceChanged(ids: Iterable<string>): void {
    const now = this.clock.now();
    for (const id of ids) {
      const device = this.devices.get(id);
      if (!device || !this.ownership.acts(id)) continue;
      // A removed window must not keep the device in maintenance until the window's old end.
      if (device.status === 'maintenance') device.maintenanceEnd = null;
      this.checkMaintenance(device, now);
    }
  }

  /**
   * Checks every device's deadline and maintenance windows. Transitions are recorded at the exact
   * deadline or window boundary, however late the sweep runs. Public so fake-clock tests can call it.
   */
  sweep(): void {
    const now = this.clock.now();
    for (const device of this.devices.values()) {
      if (!this.ownership.acts(device.id)) continue;
      if (device.deadline !== null && device.deadline <= now) {
        const at = device.deadline;
        device.deadline = null;
        this.apply(device, { type: 'timeout' }, at);
      }
      this.checkMaintenance(device, now);
    }
  }

  private checkMaintenance(device: LiveDevice, now: number): void {
    // A disabled device is out of service: a maintenance window does not bring it back into view.
    if (device.status === 'offline' && device.reason === 'disabled') return;
    if (device.status === 'maintenance') {
      if (device.maintenanceEnd !== null && device.maintenanceEnd > now) return;
      const next = this.maintenanceAt(device.id, now);
      if (next) {
        device.maintenanceEnd = next.end;
        return;
      }
      const at = Math.min(now, device.maintenanceEnd ?? now);
      device.maintenanceEnd = null;
      const alive = device.deadline !== null && device.deadline > now;
      this.apply(device, { type: 'maintenance-end', alive, health: device.health }, at);
      return;
    }
    const window = this.maintenanceAt(device.id, now);
    if (!window) return;
    device.maintenanceEnd = window.end;
    this.apply(device, { type: 'maintenance-start' }, Math.max(window.start, device.since));
  }

  /**
   * Cluster mode: the node acting for this device changed its live view; this node's copy follows. No
   * deadline here (the acting node times it out), nothing recorded, nothing to persist.
   */
  applyRemote(state: Omit<LiveDevice, 'deadline' | 'graceMs'>): LiveDevice | undefined {
    const device = this.devices.get(state.id);
    if (!device) return undefined;
    Object.assign(device, {
      status: state.status,
      since: state.since,
      reason: state.reason,
      lastTs: state.lastTs,
      lastSeq: state.lastSeq,
      metrics: state.metrics,
      faults: state.faults,
      health: state.health,
      maintenanceEnd: state.maintenanceEnd,
      deadline: null,
    });
    return device;
  }

  /**
   * Cluster mode: the node holding these devices died and this node acts for them now. Those that were
   * live get a fresh grace from now, as after a hub restart: time to reconnect elsewhere, then a timeout.
   */
  freshGrace(ids: Iterable<string>): void {
    const now = this.clock.now();
    for (const id of ids) {
      const device = this.devices.get(id);
      if (!device) continue;
      this.ownership.claim(id);
      // Never shorter than a deadline a heartbeat here already set.
      if (device.status === 'online' || device.status === 'degraded')
        device.deadline = Math.max(device.deadline ?? 0, now + device.graceMs);
    }
  }

  /** Every device id this tracker knows. */
  ids(): IterableIterator<string> {
    return this.devices.keys();
  }

  counts(): Record<DeviceStatus, number> {
    const counts: Record<DeviceStatus, number> = {
      unknown: 0,
      online: 0,
      degraded: 0,
      offline: 0,
      maintenance: 0,
    };
    for (const d of this.devices.values()) counts[d.status]++;
    return counts;
  }

  private apply(device: LiveDevice, event: LivenessEvent, at: number): void {
    const result = nextStatus(device.status, event);
    if (!result) return;
    this.record(device, result.to, result.reason, at);
  }

  private record(device: LiveDevice, to: DeviceStatus, reason: TransitionReason, at: number): void {
    const record = this.lookup(device.id);
    const from = device.status;
    device.status = to;
    device.reason = reason;
    device.since = at;
    this.dirty.add(device.id);
    if (record) {
      this.listener.onTransition({
        deviceId: device.id,
        kind: record.kind,
        village: record.village,
        at,
        from,
        to,
        reason,
      });
    }
    this.listener.onChange(device);
  }
}
