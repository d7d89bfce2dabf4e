import type { AckVia, Alert, AlertState, Evaluation, NotifyKind, PublicReport } from '@commune-hub/protocol';
import type { HeartbeatUse, LiveDevice } from '../liveness/tracker.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import type { HeartbeatRow, TransitionRow } from '../store/types.ts';

/**
 * Every domain event of the hub and its payload. Times are hub-clock epoch milliseconds (`at`).
 * Add an event here first; publishers and listeners are then checked by the compiler.
 * docs/architecture.md lists who publishes and who listens.
 */
export interface DomainEvents {
  /** A device was registered (one at a time, or each row of a committed CSV import). */
  'device.created': { device: DeviceRecord; at: number };
  /** Identity fields changed (name, village, site, parent, tags, interval, disabled). `before` is the old record. */
  'device.updated': { device: DeviceRecord; before: DeviceRecord; changes: string[]; at: number };
  /** A device was disabled: its connection is closed and it may not connect again until enabled. */
  'device.disabled': { device: DeviceRecord; at: number };
  /** A new secret was issued; the old one no longer works and its connection must close. */
  'device.secretRotated': { deviceId: string; at: number };
  /** A village was renamed or moved to another commune; its devices' records changed with it. */
  'village.updated': { villageId: string; devices: DeviceRecord[]; at: number };
  /** An authenticated device connection is up. */
  'connection.opened': { deviceId: string; at: number };
  /**
   * A device connection ended, once per connection. `graceful`: the device said goodbye (DISCONNECT or
   * an `offline` status of its own); otherwise it dropped (last will, socket error, keepalive).
   */
  'connection.closed': { deviceId: string; at: number; graceful: boolean };
  /** A device's live view changed (status, last heartbeat, metrics). `transition` is set when the status changed. */
  'liveness.changed': { device: LiveDevice; transition?: TransitionRow };
  /** A heartbeat passed every check and was handed to the store. `use`: moved the live state, or history only. */
  'heartbeat.accepted': { device: DeviceRecord; row: HeartbeatRow; use: HeartbeatUse };
  /** Maintenance windows were added or removed for these devices. */
  'maintenance.changed': { deviceIds: string[]; at: number };
  /** A criteria set was re-evaluated over the current period (live indicators; debounced after device changes). */
  'criteria.evaluated': { setId: string; evaluation: Evaluation; at: number };
  /**
   * An alert was created or changed state (or its devices, silence or ack changed). `previous`: state before,
   * null when new. `discarded`: a pending alert that never fired no longer applies (its condition cleared, or a
   * village outage / down parent now covers it): drop it; it is deleted, not resolved.
   */
  'alert.changed': { alert: Alert; previous: AlertState | null; at: number; discarded?: boolean };
  /**
   * Something must be told on these channels (the delivery part sends it, retries, records attempts).
   * `id` is unique per notification (dedupe key for retries); `kind` says what to tell.
   */
  'alert.notify': { id: string; alert: Alert; kind: NotifyKind; channelIds: string[]; at: number };
  /** Someone acknowledged an alert outside the REST route (a Telegram/Zalo bot reply): alerts applies it. */
  'alert.ackRequested': { alertId: string; by: string; note?: string; via: AckVia; at: number };
  /**
   * A user's access changed: role, communes, disabled, password, or removed (`removed`). Their open
   * dashboards follow at once (realtime re-checks each of their sockets: closed, or re-scoped with a new snapshot).
   */
  'user.changed': { userId: string; at: number; removed: boolean };
  /** A sign-in ended before its time: a session logged out, or a personal API token revoked. */
  'session.revoked': { userId: string; at: number; via: 'session' | 'token' };
  /** A citizen reported a problem from a public status page (stored; the dashboard's feed shows it). */
  'publicStatus.reported': { report: PublicReport; at: number };
}
