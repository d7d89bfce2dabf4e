import { MANAGE_WORDS } from '../../i18n/manage.ts';

/**
 * A refused or failed call in plain Vietnamese, from the hub's stable HUB_ERR_* code (never the raw
 * English message alone): what went wrong and, when the hub named one, which field.
 */
export const FIELD_WORDS: Record<string, string> = {
  id: 'Mã thiết bị',
  kind: 'Loại thiết bị',
  name: 'Tên',
  village: 'Thôn',
  intervalS: 'Chu kỳ gửi tín hiệu (giây)',
  deviceIds: 'Thiết bị',
  from: 'Bắt đầu',
  to: 'Kết thúc',
  note: 'Ghi chú',
  slug: 'Địa chỉ trang',
  selector: 'Nhóm thiết bị',
  tags: 'Nhãn',
  parent: 'Gateway',
  site: 'Điểm đặt',
};

/** What each field must look like, said the way an official reads it. */
const FIELD_RULES: Record<string, string> = {
  id: 'chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới, bắt đầu bằng chữ hoặc số, tối đa 64 ký tự',
  slug: 'chỉ gồm chữ thường không dấu, số và gạch ngang, tối đa 64 ký tự',
  name: 'từ 1 đến 200 ký tự',
  village: 'từ 1 đến 200 ký tự',
  intervalS: 'là số nguyên từ 1 đến 86.400',
  tags: 'mỗi nhãn từ 1 đến 64 ký tự, tối đa 32 nhãn',
};

/** The hub's refusals of a device's site or gateway (registry checkRefs), which name no body field. */
const REF_REFUSALS: Array<[RegExp, string]> = [
  [/^site \S+ is in village/, MANAGE_WORDS.vi.invalid.siteNotInVillage],
  [/^no site /, MANAGE_WORDS.vi.invalid.noSuchSite],
  [/^no parent device /, MANAGE_WORDS.vi.invalid.noSuchParent],
  [/is not a gateway$/, MANAGE_WORDS.vi.invalid.parentNotGateway],
  [/cannot be its own parent/, MANAGE_WORDS.vi.invalid.ownParent],
];

/** `body/id must match pattern …` → the field the hub named. */
export function fieldOf(message: string): string | null {
  const m = /(?:body|querystring|params)\/(\w+)/.exec(message) ?? /property '(\w+)'/.exec(message);
  return m?.[1] ?? null;
}

export function hubErrorText(err: unknown): string {
  const e = err as { code?: string; message?: string; status?: number };
  const message = e.message ?? '';
  switch (e.code) {
    case 'HUB_ERR_UNAUTHORIZED':
      return 'Sai hoặc thiếu mã quản trị. Nhập lại mã quản trị ở đầu trang.';
    case 'HUB_ERR_VALIDATION': {
      const refusal = REF_REFUSALS.find(([pattern]) => pattern.test(message));
      if (refusal) return refusal[1];
      const field = fieldOf(message);
      if (field && FIELD_WORDS[field]) {
        const rule = FIELD_RULES[field];
        return `${FIELD_WORDS[field]}: ${rule ? `phải ${rule}` : 'chưa đúng'}.`;
      }
      return 'Dữ liệu chưa đúng, hãy kiểm tra lại các ô đã nhập.';
    }
    case 'HUB_ERR_DEVICE_EXISTS':
      return 'Mã thiết bị này đã được dùng. Hãy chọn mã khác.';
    case 'HUB_ERR_EXISTS':
      return 'Đã có một mục cùng mã/địa chỉ. Hãy chọn tên khác.';
    case 'HUB_ERR_DEVICE_NOT_FOUND':
      return 'Không tìm thấy thiết bị (có thể đã bị đổi mã hoặc chưa khai báo).';
    case 'HUB_ERR_NOT_FOUND':
      return 'Không tìm thấy mục này (có thể đã bị xoá).';
    case 'HUB_ERR_BAD_TIME_RANGE':
      return 'Khoảng thời gian chưa đúng: thời điểm kết thúc phải sau thời điểm bắt đầu.';
    case 'HUB_ERR_RATE_LIMITED':
      return 'Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau.';
    case 'HUB_ERR_UNREACHABLE':
      return 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.';
    case 'HUB_ERR_INTERNAL':
      return 'Máy chủ gặp lỗi. Vui lòng thử lại; nếu vẫn lỗi, báo cho người quản trị hệ thống.';
    default:
      return e.status === 401
        ? 'Sai hoặc thiếu mã quản trị. Nhập lại mã quản trị ở đầu trang.'
        : 'Chưa thực hiện được. Vui lòng thử lại.';
  }
}
