import type { DeviceFault, ProbeFault } from '@commune-hub/protocol';

/**
 * Vietnamese labels of every code the hub or a device can put on screen: faults, metric names, metric
 * values, health states. The wire format keeps codes free-form (a device may invent a metric), so each
 * lookup has a readable fallback (`humanizeCode`) instead of showing the raw code;
 * labels-complete.test.ts walks the protocol's lists and fails on any code without a label here.
 */

export const FAULT_LABELS: Record<DeviceFault | ProbeFault, string> = {
  amplifier_fault: 'Hỏng bộ khuếch đại (loa không phát được)',
  amp_overheat: 'Bộ khuếch đại quá nóng',
  stream_lost: 'Mất hình camera',
  disk_full: 'Ổ đĩa đầy',
  printer_jam: 'Máy in kẹt giấy',
  on_battery: 'Mất điện lưới, đang chạy pin',
  portal_unreachable: 'Không vào được Cổng dịch vụ công',
  unreachable: 'Không liên lạc được thiết bị',
  packet_loss: 'Mạng chập chờn (mất gói)',
  timeout: 'Thiết bị không trả lời kịp',
  refused: 'Thiết bị từ chối kết nối (dịch vụ đã tắt?)',
  reset: 'Kết nối bị ngắt giữa chừng',
  bad_response: 'Thiết bị trả lời sai giao thức',
  http_status: 'Trang quản trị báo lỗi',
  content_mismatch: 'Nội dung trả về không như mong đợi',
  tls_expiring: 'Chứng chỉ bảo mật sắp hết hạn',
  tls_expired: 'Chứng chỉ bảo mật đã hết hạn',
  auth_failed: 'Sai tài khoản hoặc mật khẩu thiết bị',
  stream_down: 'Mất luồng hình camera',
  snmp_error: 'Không đọc được thông tin SNMP',
  unknown_vendor: 'Chưa có bảng mã của hãng thiết bị',
  sip_error: 'Thiết bị hội nghị báo lỗi',
  probe_error: 'Lỗi khi kiểm tra thiết bị',
  probe_config_invalid: 'Cấu hình kiểm tra mới bị lỗi, đang dùng cấu hình cũ',
};

/** How a metric's value is written after the number. `duration`: seconds shown as "2 ngày 3 giờ". */
export type MetricUnit =
  | '%'
  | 'dBm'
  | '°C'
  | 'ms'
  | 'kbit/s'
  | 'khung hình/giây'
  | 'ngày'
  | '/5'
  | 'duration'
  | '';

export interface MetricInfo {
  vi: string;
  en: string;
  unit: MetricUnit;
}

/** Metric names: suggested per kind (protocol/README.md), probe metrics, alert-rule metrics. */
export const METRIC_INFO: Record<string, MetricInfo> = {
  signal: { vi: 'Tín hiệu', en: 'Signal', unit: 'dBm' },
  amplifierOk: { vi: 'Bộ khuếch đại hoạt động', en: 'Amplifier working', unit: '' },
  amplifier: { vi: 'Bộ khuếch đại', en: 'Amplifier', unit: '' },
  volume: { vi: 'Âm lượng', en: 'Volume', unit: '%' },
  playing: { vi: 'Đang phát', en: 'Playing', unit: '' },
  power: { vi: 'Nguồn điện', en: 'Power', unit: '' },
  powerSource: { vi: 'Nguồn điện', en: 'Power source', unit: '' },
  battery: { vi: 'Pin', en: 'Battery', unit: '%' },
  temperature: { vi: 'Nhiệt độ', en: 'Temperature', unit: '°C' },
  clients: { vi: 'Số người dùng wifi', en: 'Wifi users', unit: '' },
  latencyMs: { vi: 'Độ trễ', en: 'Latency', unit: 'ms' },
  uplinkLatencyMs: { vi: 'Độ trễ đường truyền', en: 'Uplink latency', unit: 'ms' },
  lossPct: { vi: 'Mất gói', en: 'Packet loss', unit: '%' },
  uplinkLossPct: { vi: 'Mất gói đường truyền', en: 'Uplink packet loss', unit: '%' },
  rxKbps: { vi: 'Tốc độ tải xuống', en: 'Download rate', unit: 'kbit/s' },
  txKbps: { vi: 'Tốc độ tải lên', en: 'Upload rate', unit: 'kbit/s' },
  streamOk: { vi: 'Có luồng hình', en: 'Video stream', unit: '' },
  fps: { vi: 'Số khung hình', en: 'Frame rate', unit: 'khung hình/giây' },
  bitrateKbps: { vi: 'Tốc độ luồng hình', en: 'Video bit rate', unit: 'kbit/s' },
  recording: { vi: 'Đang ghi hình', en: 'Recording', unit: '' },
  storagePct: { vi: 'Bộ nhớ đã dùng', en: 'Storage used', unit: '%' },
  storageFreePct: { vi: 'Bộ nhớ còn trống', en: 'Storage free', unit: '%' },
  cpuPct: { vi: 'Bộ xử lý (CPU) đang dùng', en: 'CPU used', unit: '%' },
  memPct: { vi: 'Bộ nhớ (RAM) đang dùng', en: 'Memory used', unit: '%' },
  diskPct: { vi: 'Ổ đĩa đã dùng', en: 'Disk used', unit: '%' },
  appRunning: { vi: 'Phần mềm đang chạy', en: 'Application running', unit: '' },
  printer: { vi: 'Máy in', en: 'Printer', unit: '' },
  printerOk: { vi: 'Máy in sẵn sàng', en: 'Printer ready', unit: '' },
  antivirus: { vi: 'Phần mềm diệt virus', en: 'Antivirus', unit: '' },
  antivirusOk: { vi: 'Phần mềm diệt virus hoạt động', en: 'Antivirus working', unit: '' },
  portalLatencyMs: { vi: 'Độ trễ tới Cổng dịch vụ công', en: 'Public-service portal latency', unit: 'ms' },
  registered: { vi: 'Đã đăng ký điểm cầu', en: 'Registered', unit: '' },
  inCall: { vi: 'Đang họp trực tuyến', en: 'In a call', unit: '' },
  callQuality: { vi: 'Chất lượng cuộc gọi', en: 'Call quality', unit: '/5' },
  reachable: { vi: 'Liên lạc được', en: 'Reachable', unit: '' },
  rttMs: { vi: 'Thời gian phản hồi', en: 'Round-trip time', unit: 'ms' },
  httpStatus: { vi: 'Mã trả lời trang web', en: 'HTTP status', unit: '' },
  tlsDaysLeft: { vi: 'Chứng chỉ bảo mật còn hạn', en: 'Certificate valid for', unit: 'ngày' },
  contentOk: { vi: 'Nội dung đúng', en: 'Content as expected', unit: '' },
  codec: { vi: 'Chuẩn nén hình', en: 'Video codec', unit: '' },
  rtspStatus: { vi: 'Mã trả lời luồng hình', en: 'RTSP status', unit: '' },
  sysUpTimeS: { vi: 'Thời gian chạy liên tục', en: 'Running for', unit: 'duration' },
  ifUp: { vi: 'Cổng mạng đang chạy', en: 'Network ports up', unit: '' },
  ifDown: { vi: 'Cổng mạng bị ngắt', en: 'Network ports down', unit: '' },
  sipStatus: { vi: 'Mã trả lời SIP', en: 'SIP status', unit: '' },
  probeChildren: { vi: 'Số thiết bị đang theo dõi', en: 'Devices probed', unit: '' },
  probeCycleMs: { vi: 'Thời gian một vòng kiểm tra', en: 'Probe cycle', unit: 'ms' },
  probeConfigRev: { vi: 'Phiên bản cấu hình kiểm tra', en: 'Probe configuration revision', unit: '' },
};

/** String values of metrics (and heartbeat health), per language. */
export const VALUE_LABELS: Record<string, { vi: string; en: string }> = {
  mains: { vi: 'Điện lưới', en: 'Mains' },
  battery: { vi: 'Pin dự phòng', en: 'Battery' },
  solar: { vi: 'Điện mặt trời', en: 'Solar' },
  ok: { vi: 'Bình thường', en: 'OK' },
  degraded: { vi: 'Suy giảm', en: 'Degraded' },
  fault: { vi: 'Lỗi', en: 'Fault' },
};

/**
 * A code no label covers, written as words: `amplifier_fault` → "amplifier fault", `storageFreePct` →
 * "storage free pct". Never the raw code: an official reads words, and a scan for code names stays clean.
 */
export function humanizeCode(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .toLowerCase()
    .trim();
}
