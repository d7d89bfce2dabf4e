/**
 * A refused probe target in words an official reads: which field of the form, in Vietnamese, and why.
 * The hub names the field in English (`body/port must be <= 65535` from schema validation,
 * `probe config field "snmp.community": …` from its own checks); this finds the field and says it again.
 */
const FIELDS: Record<string, { label: string; rule: string }> = {
  type: { label: 'Cách kiểm tra', rule: 'chọn một cách trong danh sách' },
  address: { label: 'Địa chỉ IP', rule: 'cần một địa chỉ IPv4 (ví dụ 192.168.1.64) hoặc tên máy' },
  port: { label: 'Cổng', rule: 'phải là số nguyên từ 1 đến 65.535' },
  path: { label: 'Đường dẫn', rule: 'phải bắt đầu bằng "/" và không có dấu cách' },
  intervalS: { label: 'Chu kỳ', rule: 'phải là số giây nguyên, từ 10 đến 86.400' },
  username: { label: 'Tài khoản', rule: 'tối đa 64 ký tự' },
  password: { label: 'Mật khẩu', rule: 'tối đa 128 ký tự' },
  'snmp.community': { label: 'Community (SNMP)', rule: 'SNMP v2c cần community của thiết bị' },
  'snmp.user': { label: 'Người dùng v3 (SNMP)', rule: 'SNMP v3 cần tên người dùng' },
  'snmp.vendor': { label: 'Hãng (bảng mã)', rule: 'chỉ chữ thường, số và dấu gạch ngang' },
  snmp: { label: 'SNMP', rule: 'thiếu thông tin SNMP' },
};

/** The form field a hub refusal names, dotted (`snmp.community`), or null when none is named. */
export function refusedField(message: string): string | null {
  const fromSchema = /(?:^|\s)body\/([\w/]+)/.exec(message);
  if (fromSchema?.[1]) return fromSchema[1].replace(/\//g, '.');
  const fromHub = /probe config field "([\w.]+)"/.exec(message);
  if (fromHub?.[1]) return fromHub[1];
  // A required property the schema found missing: `body must have required property 'address'`.
  const missing = /required property '(\w+)'/.exec(message);
  return missing?.[1] ?? null;
}

export function probeErrorText(error: unknown): string {
  const e = error as { status?: number; code?: string; message?: string };
  if (e.status === 401) return 'Sai hoặc thiếu mã quản trị.';
  if (e.code === 'HUB_ERR_PROBE_KEY_MISSING')
    return 'Hub chưa có khóa mã hóa mật khẩu (HUB_PROBE_KEY): nhờ người quản trị hub cài đặt, hoặc bỏ trống mật khẩu.';
  if (e.status === 404) return 'Không tìm thấy thiết bị này trên hub.';
  const message = e.message ?? '';
  const field = refusedField(message);
  const known = field ? (FIELDS[field] ?? FIELDS[field.split('.')[0] ?? '']) : undefined;
  if (known) return `${known.label}: ${known.rule}.`;
  if (field) return `Trường ${field} chưa đúng.`;
  return `Không lưu được cấu hình kiểm tra${message ? ` (${message})` : ''}.`;
}
