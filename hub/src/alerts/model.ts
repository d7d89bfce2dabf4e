import type {
  Alert,
  AlertCause,
  AlertRule,
  AlertScope,
  AlertSeverity,
  AlertState,
  DeviceKind,
  DeviceStatus,
  NotifyKind,
} from '@commune-hub/protocol';

/** What the engine needs to know of a device (a projection of the registry's record). */
export interface DeviceInfo {
  id: string;
  kind: DeviceKind;
  name: string;
  village: string;
  villageId: string;
  communeId: string | null;
  parentId: string | null;
  tags: string[];
}

/** The engine's view of a device's live state, fed by liveness and heartbeat events. */
export interface DeviceLive {
  status: DeviceStatus;
  /** When it entered `status`. */
  since: number;
  onBattery: boolean;
  /** Transition times kept for flapping rules (pruned to the longest flapping window). */
  flaps: number[];
}

/** An alert inside the hub: times in epoch ms, devices by id. `toAlertView` makes the wire shape. */
export interface AlertRecord {
  id: string;
  /** Identity of the problem: `rule|device` for a device alert, `village|<id>` for a correlated one. */
  key: string;
  ruleId: string;
  ruleName: string;
  state: AlertState;
  severity: AlertSeverity;
  cause: AlertCause;
  title: string;
  condition: string;
  villageId: string | null;
  village: string | null;
  deviceIds: string[];
  since: number;
  firedAt: number | null;
  ackBy: string | null;
  ackNote: string | null;
  ackAt: number | null;
  resolvedAt: number | null;
  notifyCount: number;
  renotifyCount: number;
  lastNotifiedAt: number | null;
  escalated: boolean;
  silencedBy: string | null;
  deferredUntil: number | null;
  /** Outside schedule with policy `record` when it fired: this alert never notifies. */
  recordOnly: boolean;
  channelIds: string[];
}

/** Where the engine's decisions go: the service persists them and publishes them on the bus. */
export interface AlertSink {
  changed(alert: AlertRecord, previous: AlertState | null, at: number): void;
  /** A pending alert that never fired and no longer applies (cleared, or absorbed by a correlated alert). */
  discarded(alert: AlertRecord, at: number, why: string): void;
  history(alert: AlertRecord, at: number, event: string, detail: string): void;
  notify(alert: AlertRecord, kind: NotifyKind, channelIds: string[], at: number): void;
}

/** Why notifications are held back for a device now (mute, one-off or recurring maintenance), or null. */
export type SilenceLookup = (device: DeviceInfo, at: number) => 'muted' | 'maintenance' | null;

export function matchesScope(scope: AlertScope, d: DeviceInfo): boolean {
  if (scope.deviceIds && !scope.deviceIds.includes(d.id)) return false;
  if (scope.villageIds && !scope.villageIds.includes(d.villageId)) return false;
  if (scope.communeIds && (d.communeId == null || !scope.communeIds.includes(d.communeId))) return false;
  if (scope.kinds && !scope.kinds.includes(d.kind)) return false;
  if (scope.tags && !scope.tags.some((t) => d.tags.includes(t))) return false;
  return true;
}

/** How long a rule's condition must hold before it fires, ms. */
export function holdMs(rule: AlertRule): number {
  const c = rule.condition;
  if ('forMin' in c && c.forMin != null) return c.forMin * 60_000;
  return 0;
}

const KIND_LABEL: Record<DeviceKind, string> = {
  loudspeaker: 'Cụm loa',
  wifi: 'Điểm wifi',
  camera: 'Camera',
  pc: 'Máy tính',
  kiosk: 'Ki-ốt',
  rating: 'Máy đánh giá',
  idreader: 'Đầu đọc CCCD',
  conference: 'Điểm cầu truyền hình',
  gateway: 'Gateway',
};

const CONDITION_LABEL: Record<string, string> = {
  offline_for: 'mất kết nối',
  degraded_for: 'hoạt động kém',
  flapping: 'chập chờn',
  device_fault: 'báo lỗi',
  metric_threshold: 'vượt ngưỡng',
  uptime_below: 'thời gian hoạt động thấp',
  criterion_at_risk: 'tiêu chí có nguy cơ không đạt',
};

/** Short Vietnamese title for a phone's notification preview. */
export function deviceTitle(d: DeviceInfo, condition: string, cause: AlertCause, children = 0): string {
  const what =
    cause === 'parent_down' ? `mất kết nối cùng ${children} thiết bị phía sau` : CONDITION_LABEL[condition];
  return `${d.village}: ${d.name || KIND_LABEL[d.kind]} ${what ?? condition}`;
}

export function villageTitle(village: string, cause: 'power_cut' | 'network_cut'): string {
  return `${village}: ${cause === 'power_cut' ? 'mất điện' : 'mất mạng'}`;
}

const iso = (t: number | null) => (t == null ? null : new Date(t).toISOString());

export function toAlertView(a: AlertRecord, device: (id: string) => DeviceInfo | undefined): Alert {
  return {
    id: a.id,
    rule: { id: a.ruleId, name: a.ruleName },
    state: a.state,
    severity: a.severity,
    cause: a.cause,
    title: a.title,
    condition: a.condition,
    villageId: a.villageId,
    village: a.village,
    devices: a.deviceIds.map((id) => {
      const d = device(id);
      return d
        ? { id, name: d.name, kind: d.kind, village: d.village, villageId: d.villageId }
        : { id, name: id, kind: 'pc' as DeviceKind, village: '', villageId: '' };
    }),
    since: new Date(a.since).toISOString(),
    firedAt: iso(a.firedAt),
    ackBy: a.ackBy,
    ackNote: a.ackNote,
    ackAt: iso(a.ackAt),
    resolvedAt: iso(a.resolvedAt),
    durationS: a.resolvedAt == null ? null : Math.round((a.resolvedAt - a.since) / 1000),
    notifyCount: a.notifyCount,
    escalated: a.escalated,
    silenced: a.silencedBy != null,
    silencedBy: a.silencedBy,
    deferredUntil: iso(a.deferredUntil),
    channelIds: a.channelIds,
  };
}
