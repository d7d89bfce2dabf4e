import type { ProbeFault, ProbeType } from '@commune-hub/protocol';
import { DICTIONARIES } from '../../i18n/dictionary.ts';
import { faultLabel as formatFault } from '../../i18n/format.ts';

/** Vietnamese labels of probe fault codes, for a commune official without IT training. */
export const PROBE_FAULT_LABELS: Record<ProbeFault, string> = {
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

export const PROBE_TYPE_LABELS: Record<ProbeType, string> = {
  icmp: 'Ping (ICMP)',
  tcp: 'Cổng TCP',
  http: 'Trang web (HTTP/HTTPS)',
  rtsp: 'Luồng camera (RTSP)',
  snmp: 'SNMP (wifi, switch, router)',
  sip: 'SIP (hội nghị truyền hình)',
};

/** A fault code as people read it in Vietnamese (the shared label, a readable fallback for unknown codes). */
export function faultLabel(code: string): string {
  return formatFault(DICTIONARIES.vi, code);
}
