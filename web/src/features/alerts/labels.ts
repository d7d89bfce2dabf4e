import type {
  AlertCause,
  AlertState,
  ChannelKind,
  ConditionKind,
  DeliveryState,
  OutsideSchedule,
} from '@commune-hub/protocol';
import { browserElsewhere } from '../../i18n/format.ts';

/** Vietnamese label of every alert code the pages show. A code without a label is a compile error. */
export const STATE_LABELS: Record<AlertState, string> = {
  pending: 'Đang chờ xác nhận sự cố',
  firing: 'Đang cảnh báo',
  acknowledged: 'Đã có người nhận',
  resolved: 'Đã hết',
};

export const CAUSE_LABELS: Record<AlertCause, string> = {
  power_cut: 'Mất điện cả thôn',
  network_cut: 'Mất mạng cả thôn',
  parent_down: 'Thiết bị cha mất kết nối',
  device: 'Sự cố một thiết bị',
  criterion: 'Chỉ tiêu có nguy cơ không đạt',
};

export const CONDITION_LABELS: Record<ConditionKind, string> = {
  offline_for: 'Mất kết nối quá N phút',
  degraded_for: 'Hoạt động kém quá N phút',
  flapping: 'Chập chờn (mất/có liên tục)',
  device_fault: 'Thiết bị báo lỗi',
  metric_threshold: 'Chỉ số vượt ngưỡng',
  uptime_below: 'Tỷ lệ hoạt động dưới mục tiêu',
  criterion_at_risk: 'Chỉ tiêu hạ tầng có nguy cơ không đạt',
};

/** Condition codes of correlated alerts (not rules) also appear on alerts. */
export const conditionLabel = (code: string): string =>
  (CONDITION_LABELS as Record<string, string>)[code] ??
  (CAUSE_LABELS as Record<string, string>)[code] ??
  code;

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  telegram: 'Telegram',
  zalo_bot: 'Zalo (bot)',
  email: 'Thư điện tử (email)',
  webhook: 'Webhook (hệ thống khác)',
  zalo_zns: 'Zalo ZNS (tin mẫu, trả phí)',
};

export const DELIVERY_STATE_LABELS: Record<DeliveryState, string> = {
  queued: 'Đang chờ gửi',
  sent: 'Đã gửi',
  failed: 'Gửi thất bại',
  cancelled: 'Đã huỷ',
};

export const OUTSIDE_SCHEDULE_LABELS: Record<OutsideSchedule, string> = {
  record: 'Chỉ ghi nhận, không báo',
  defer: 'Báo vào đầu giờ làm việc sau',
  notify: 'Vẫn báo ngay',
};

export const SILENCED_LABELS: Record<string, string> = {
  outside_schedule: 'ngoài giờ làm việc',
  muted: 'đang tạm tắt báo',
  maintenance: 'đang bảo trì',
};

export const METRIC_LABELS: Record<string, string> = {
  signal: 'Cường độ sóng (dBm)',
  volume: 'Âm lượng',
  battery: 'Pin (%)',
  temperature: 'Nhiệt độ (°C)',
  clients: 'Số người dùng wifi',
  uplinkLatencyMs: 'Độ trễ đường truyền (ms)',
  uplinkLossPct: 'Mất gói đường truyền (%)',
  rxKbps: 'Tốc độ nhận (kbps)',
  txKbps: 'Tốc độ gửi (kbps)',
  fps: 'Khung hình/giây',
  bitrateKbps: 'Tốc độ bit (kbps)',
  storageFreePct: 'Bộ nhớ còn trống (%)',
  cpuPct: 'CPU (%)',
  memPct: 'RAM (%)',
  diskPct: 'Ổ đĩa đã dùng (%)',
  portalLatencyMs: 'Độ trễ cổng dịch vụ công (ms)',
  callQuality: 'Chất lượng cuộc gọi',
};

export const OP_LABELS: Record<string, string> = {
  '<': 'nhỏ hơn',
  '<=': 'không quá',
  '>': 'lớn hơn',
  '>=': 'từ',
};

export const WEEKDAY_LABELS = ['', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'];

const viTime = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour12: false,
});

/** "14:05 30/11/2026", always Asia/Ho_Chi_Minh (with "(GMT+7)" when the browser's clock is elsewhere). */
export function formatViTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(viTime.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}${browserElsewhere(d.getTime()) ? ' (GMT+7)' : ''}`;
}

/** "2 giờ 5 phút". */
export function formatViDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const min = Math.floor(seconds / 60);
  if (min < 1) return 'dưới 1 phút';
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  return [d ? `${d} ngày` : '', h ? `${h} giờ` : '', m && !d ? `${m} phút` : ''].filter(Boolean).join(' ');
}
