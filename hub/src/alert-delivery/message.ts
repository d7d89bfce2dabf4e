import type { Alert, AlertCause, NotifyKind } from '@commune-hub/protocol';

/**
 * Vietnamese alert messages, short enough for a phone's notification preview: the first line says what
 * and where, the next ones since when (Asia/Ho_Chi_Minh) and the link to open. Pure: tested by table.
 */

export const CAUSE_LABELS: Record<AlertCause, string> = {
  power_cut: 'mất điện',
  network_cut: 'mất mạng',
  parent_down: 'thiết bị cha mất kết nối',
  device: 'sự cố thiết bị',
  criterion: 'chỉ tiêu có nguy cơ không đạt',
};

const KIND_PREFIX: Record<NotifyKind | 'test', string> = {
  fired: '🔴',
  renotify: '🔁 Nhắc lại:',
  escalate: '⏫ Chưa ai nhận:',
  resolved: '✅ Đã hết:',
  test: '🧪',
};

const SUBJECT_PREFIX: Record<NotifyKind | 'test', string> = {
  fired: '[Cảnh báo]',
  renotify: '[Nhắc lại]',
  escalate: '[Chưa ai nhận]',
  resolved: '[Đã khắc phục]',
  test: '[Thử]',
};

const timeFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour12: false,
});

/** "14:05 30/11/2026" in Asia/Ho_Chi_Minh, whatever the hub's own time zone. */
export function formatViTime(ms: number): string {
  const parts = Object.fromEntries(timeFormat.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}/${parts.year}`;
}

/** "2 giờ 5 phút", "45 phút", "3 ngày 4 giờ"; under a minute: "dưới 1 phút". */
export function formatViDuration(seconds: number): string {
  const min = Math.floor(seconds / 60);
  if (min < 1) return 'dưới 1 phút';
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} ngày`);
  if (h) parts.push(`${h} giờ`);
  if (m && !d) parts.push(`${m} phút`);
  return parts.join(' ');
}

export interface MessageContext {
  /** HUB_PUBLIC_URL without a trailing slash; empty = no link line. */
  publicUrl: string;
  /** The site (place) of a device, e.g. "Nhà văn hoá thôn 3", when it has one. */
  siteOf: (deviceId: string) => string | undefined;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  /** Structured copy for webhooks and ZNS template parameters. */
  payload: Record<string, unknown>;
}

/** Where: "Thôn 3 · Nhà văn hoá thôn 3" for one device, "Thôn 3" for a village-wide alert. */
export function placeOf(alert: Alert, ctx: MessageContext): string {
  // A criterion is the commune's as a whole: its devices' villages are not "where".
  if (alert.cause === 'criterion') return alert.village ?? '';
  const village = alert.village ?? alert.devices[0]?.village ?? '';
  if (alert.devices.length === 1) {
    const site = ctx.siteOf(alert.devices[0]!.id);
    if (site && site !== village) return village ? `${village} · ${site}` : site;
  }
  return village;
}

export function linkOf(alert: Alert, publicUrl: string): string {
  if (!publicUrl) return '';
  const base = publicUrl.replace(/\/+$/, '');
  if (alert.devices.length === 1) return `${base}/?device=${encodeURIComponent(alert.devices[0]!.id)}`;
  return `${base}/alerts?alert=${encodeURIComponent(alert.id)}`;
}

/** One alert, one message. */
export function renderAlertMessage(alert: Alert, kind: NotifyKind, ctx: MessageContext): RenderedMessage {
  const place = placeOf(alert, ctx);
  const sinceMs = Date.parse(alert.since);
  const sinceText = formatViTime(sinceMs);
  const link = linkOf(alert, ctx.publicUrl);
  const lines = [`${KIND_PREFIX[kind]} ${alert.title}`];
  // The title usually names the place already; say it again only when it adds the site.
  if (place && !alert.title.includes(place)) lines.push(`Nơi: ${place}`);
  if (kind === 'resolved') {
    const dur =
      alert.durationS ?? (alert.resolvedAt ? (Date.parse(alert.resolvedAt) - sinceMs) / 1000 : null);
    lines.push(`Từ ${sinceText}${dur !== null ? `, kéo dài ${formatViDuration(dur)}` : ''}`);
  } else {
    const count = alert.devices.length > 1 ? ` · ${alert.devices.length} thiết bị` : '';
    lines.push(`Từ ${sinceText}${count}`);
  }
  if (alert.devices.length > 1 && kind !== 'resolved') {
    const names = alert.devices.slice(0, 5).map((d) => d.name);
    const more = alert.devices.length > 5 ? ` và ${alert.devices.length - 5} thiết bị khác` : '';
    lines.push(`Gồm: ${names.join(', ')}${more}`);
  }
  if (link) lines.push(link);
  if (kind !== 'resolved' && alert.state === 'firing') lines.push(`Trả lời "ok ${alert.id}" để báo đã nhận.`);
  return {
    subject: `${SUBJECT_PREFIX[kind]} ${alert.title}`,
    text: lines.join('\n'),
    payload: {
      type: 'alert',
      notify: kind,
      alert,
      title: alert.title,
      place,
      cause: alert.cause,
      causeLabel: CAUSE_LABELS[alert.cause],
      since: alert.since,
      sinceText,
      link,
    },
  };
}

/** What a digest keeps of each notification (enough to render it later, even after a restart). */
export interface DigestNotice {
  alert: Alert;
  kind: NotifyKind;
  at: number;
}

/** N notifications gathered over the digest window become one message, newest state of each alert once. */
export function renderDigest(
  notices: DigestNotice[],
  windowMin: number,
  ctx: MessageContext,
): RenderedMessage {
  const latest = new Map<string, DigestNotice>();
  for (const n of notices) latest.set(n.alert.id, n);
  const items = [...latest.values()];
  const firing = items.filter((n) => n.kind !== 'resolved');
  const resolved = items.filter((n) => n.kind === 'resolved');
  const head = `📋 ${items.length} cảnh báo trong ${windowMin} phút: ${firing.length} đang có, ${resolved.length} đã hết`;
  const lines = [head];
  for (const n of firing.slice(0, 10))
    lines.push(`🔴 ${n.alert.title} (từ ${formatViTime(Date.parse(n.alert.since))})`);
  for (const n of resolved.slice(0, 10)) lines.push(`✅ ${n.alert.title}`);
  const hidden = Math.max(0, firing.length - 10) + Math.max(0, resolved.length - 10);
  if (hidden > 0) lines.push(`… và ${hidden} cảnh báo khác`);
  if (ctx.publicUrl) lines.push(`${ctx.publicUrl.replace(/\/+$/, '')}/alerts`);
  return {
    subject: `[Tổng hợp] ${firing.length} cảnh báo đang có, ${resolved.length} đã hết`,
    text: lines.join('\n'),
    payload: {
      type: 'digest',
      windowMin,
      alerts: items.map((n) => ({ notify: n.kind, alert: n.alert })),
      title: head,
      place: '',
      sinceText: formatViTime(Math.min(...items.map((n) => n.at))),
      link: ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, '')}/alerts` : '',
    },
  };
}

/** The "Gửi thử" message: proves the channel works and shows what a real one looks like. */
export function renderTestMessage(channelName: string, now: number, ctx: MessageContext): RenderedMessage {
  const link = ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, '')}/alerts` : '';
  const lines = [
    `🧪 Tin nhắn thử từ Commune Hub`,
    `Kênh "${channelName}" đã nhận được lúc ${formatViTime(now)}.`,
  ];
  if (link) lines.push(link);
  return {
    subject: `[Thử] Kênh cảnh báo "${channelName}" hoạt động`,
    text: lines.join('\n'),
    payload: { type: 'test', title: 'Tin nhắn thử', place: '', sinceText: formatViTime(now), link },
  };
}
