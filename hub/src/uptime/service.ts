import type { Clock } from '../clock.ts';
import type { EventBus } from '../events/bus.ts';
import { graceMsFor } from '../liveness/tracker.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import { computeUptime, type UptimeFigures } from './compute.ts';
import type { CoverageStore } from './coverage.ts';
import type { HubRuns } from './hub-runs.ts';
import type { Interval } from './intervals.ts';
import type { MaintenanceStore, MaintenanceWindow } from './maintenance.ts';

export interface DeviceUptime extends UptimeFigures {
  deviceId: string;
}

/** Uptime of devices over any window, from the coverage record, maintenance windows and the hub's runs. */
export class UptimeService {
  constructor(
    private readonly clock: Clock,
    private readonly hubRuns: HubRuns,
    private readonly coverage: CoverageStore,
    private readonly maintenance: MaintenanceStore,
    private readonly currentRunId: number,
    private readonly events: EventBus,
  ) {}

  /** Schedules one window per device; liveness hears `maintenance.changed` and enters it on time. */
  scheduleMaintenance(
    deviceIds: readonly string[],
    from: number,
    to: number,
    note: string,
  ): MaintenanceWindow[] {
    const windows = deviceIds.map((id) => this.maintenance.add(id, from, to, note));
    if (windows.length > 0) {
      this.events.emit('maintenance.changed', { deviceIds: [...deviceIds], at: this.clock.now() });
    }
    return windows;
  }

  /** Removes a window; false when there is none with this id. */
  cancelMaintenance(id: number): boolean {
    const window = this.maintenance.get(id);
    if (!this.maintenance.remove(id)) return false;
    if (window)
      this.events.emit('maintenance.changed', { deviceIds: [window.deviceId], at: this.clock.now() });
    return true;
  }

  /** When the hub was running during [from, to). The current run lasts until now. */
  hubRunning(from: number, to: number): Interval[] {
    const now = this.clock.now();
    return this.hubRuns.overlapping(from, to).map((r) => ({
      start: r.startedAt,
      end: r.id === this.currentRunId ? now : (r.stoppedAt ?? r.aliveAt),
    }));
  }

  recordHeartbeat(device: DeviceRecord, ts: number): void {
    this.coverage.addHeartbeat(device.id, ts, graceMsFor(device.intervalS));
  }

  device(
    record: DeviceRecord,
    window: Interval,
    hubRunning = this.hubRunning(window.start, window.end),
    /** The device's covered time in the window, when the caller already read it. */
    covered = this.coverage.covered(record.id, window.start, window.end),
  ): DeviceUptime {
    return {
      deviceId: record.id,
      ...computeUptime({
        window,
        // A device installed before it was registered, or backfilled from an agent's buffer, has a record
        // from its earliest heartbeat on.
        createdAt: Math.min(record.createdAt, covered[0]?.start ?? record.createdAt),
        covered,
        maintenance: this.maintenance.windows(record.id),
        hubRunning,
      }),
    };
  }

  /**
   * A device's figures cut into consecutive buckets of `bucketMs` from `window.start` (the last one cut
   * at `window.end`): the cells of the dashboard's uptime bar. Read once, computed per cell by the same
   * rule as `device()`, so the cells add up to the device's figures for the window.
   */
  cells(
    record: DeviceRecord,
    window: Interval,
    bucketMs: number,
    hubRunning = this.hubRunning(window.start, window.end),
  ): Array<UptimeFigures & { start: number }> {
    const covered = this.coverage.covered(record.id, window.start, window.end);
    const createdAt = Math.min(record.createdAt, covered[0]?.start ?? record.createdAt);
    const maintenance = this.maintenance.windows(record.id);
    const out: Array<UptimeFigures & { start: number }> = [];
    let first = 0;
    for (let start = window.start; start < window.end; start += bucketMs) {
      const cell = { start, end: Math.min(start + bucketMs, window.end) };
      // Intervals are sorted by start: skip the ones that ended before this cell.
      while (first < covered.length && covered[first]!.end <= cell.start) first++;
      const inCell: Interval[] = [];
      for (let i = first; i < covered.length && covered[i]!.start < cell.end; i++) inCell.push(covered[i]!);
      out.push({
        start,
        ...computeUptime({ window: cell, createdAt, covered: inCell, maintenance, hubRunning }),
      });
    }
    return out;
  }

  /** Per-device figures and their sum for a set of devices. */
  fleet(
    records: readonly DeviceRecord[],
    window: Interval,
  ): { devices: DeviceUptime[]; total: UptimeFigures } {
    const running = this.hubRunning(window.start, window.end);
    const devices = records.map((r) => this.device(r, window, running));
    const total = { up_s: 0, down_s: 0, unknown_s: 0, maintenance_s: 0, ratio: null as number | null };
    for (const d of devices) {
      total.up_s += d.up_s;
      total.down_s += d.down_s;
      total.unknown_s += d.unknown_s;
      total.maintenance_s += d.maintenance_s;
    }
    const measured = total.up_s + total.down_s;
    total.ratio = measured > 0 ? total.up_s / measured : null;
    return { devices, total };
  }
}
