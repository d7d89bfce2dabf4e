import { type Static, Type } from '@sinclair/typebox';
import { Alert } from './alerts.ts';
import type { CriteriaEvaluatedPush } from './criteria.ts';
import { DeviceDiff, DeviceKind, DeviceView } from './device.ts';

/** socket.io, default namespace. On connect the server sends `devices:snapshot`, then `devices:diff` batches (≤ 4/s). */
export const DevicesSnapshot = Type.Object({ at: Type.String(), devices: Type.Array(DeviceView) });
export type DevicesSnapshot = Static<typeof DevicesSnapshot>;

/**
 * `changes`: per device, the fields that changed (a rename, a village move, a disable, live state), or the
 * whole view of a device new to this client (just created, or moved into its filter). `removed`: devices
 * that left this client's view (moved out of its `devices:filter`); drop them.
 */
export const DevicesDiff = Type.Object({
  at: Type.String(),
  changes: Type.Array(DeviceDiff),
  removed: Type.Optional(Type.Array(Type.String())),
});
export type DevicesDiff = Static<typeof DevicesDiff>;

/**
 * `alerts:changed`: an alert was raised or changed state (sent to every client at once, not batched).
 * `discarded`: a pending alert that never fired no longer applies (its condition cleared, or a village
 * outage / down parent now covers it); it was deleted, not resolved: drop it from every list.
 */
export const AlertsChanged = Type.Object({
  at: Type.String(),
  alert: Alert,
  discarded: Type.Optional(Type.Literal(true)),
});
export type AlertsChanged = Static<typeof AlertsChanged>;

/**
 * `feed:changed`: the home page's feed (`GET /api/feed`) has new items a client cannot see in the device
 * list: a citizen's report, an alert that fired or resolved, maintenance scheduled or cancelled. Only a
 * nudge (coalesced per flush window): the client refetches the feed. Status changes need no nudge; they
 * come as `devices:diff`.
 */
export const FEED_CHANGE_CAUSES = ['report', 'alert', 'maintenance'] as const;
export const FeedChangeCause = Type.Union(FEED_CHANGE_CAUSES.map((c) => Type.Literal(c)));
export type FeedChangeCause = Static<typeof FeedChangeCause>;
export const FeedChanged = Type.Object({ at: Type.String(), causes: Type.Array(FeedChangeCause) });
export type FeedChanged = Static<typeof FeedChanged>;

export interface ServerToClientEvents {
  'devices:snapshot': (payload: DevicesSnapshot) => void;
  'devices:diff': (payload: DevicesDiff) => void;
  /** The current period's criteria re-evaluated (every client; see protocol/src/criteria.ts). */
  'criteria:evaluated': (payload: CriteriaEvaluatedPush) => void;
  'alerts:changed': (payload: AlertsChanged) => void;
  'feed:changed': (payload: FeedChanged) => void;
}

/**
 * `devices:filter`: what this client wants to follow (e.g. one commune's villages on a province hub).
 * Each given list narrows the set; an empty object means every device. The server answers with a new
 * snapshot of the matching devices, and later diffs only for them. Invalid filters get an `error` ack.
 */
export const DevicesFilter = Type.Object(
  {
    villageIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })),
    kinds: Type.Optional(Type.Array(DeviceKind, { maxItems: 16 })),
  },
  { additionalProperties: false },
);
export type DevicesFilter = Static<typeof DevicesFilter>;

export interface ClientToServerEvents {
  'devices:filter': (filter: DevicesFilter, ack?: (result: { ok: boolean; error?: string }) => void) => void;
}

/** Largest rate at which the hub emits diffs to one client. */
export const REALTIME_FLUSH_MS = 250;
