import type { PublicStatus } from '@commune-hub/protocol';

/**
 * The citizen's words: plain Vietnamese, no technical term. The public page is for anyone standing at a
 * cultural house with a phone, so it speaks Vietnamese whatever language the dashboard was left in.
 */
export const PUBLIC_STATUS_WORDS: Record<PublicStatus, { label: string; hint: string }> = {
  up: { label: 'Đang hoạt động', hint: 'Thiết bị đang hoạt động bình thường.' },
  degraded: {
    label: 'Hoạt động chập chờn',
    hint: 'Thiết bị vẫn chạy nhưng đang báo lỗi; xã đã được báo.',
  },
  down: {
    label: 'Đang gián đoạn',
    hint: 'Xã đã biết thiết bị này đang mất kết nối và sẽ khắc phục.',
  },
  maintenance: { label: 'Đang bảo trì', hint: 'Thiết bị đang được bảo trì theo lịch.' },
  unknown: { label: 'Chưa có thông tin', hint: 'Chưa nhận được tín hiệu nào từ thiết bị này.' },
};

export const PUBLIC_WORDS = {
  uptimeThisMonth: (month: number, year: number) => `Thời gian hoạt động tháng ${month}/${year}`,
  noUptime: 'chưa đo được',
  loading: 'Đang tải…',
  notFound: 'Không có trang trạng thái này, hoặc trang chưa được công khai.',
  unreachable: 'Không kết nối được máy chủ. Vui lòng thử lại sau.',
  updated: 'Cập nhật lúc',
  allDevices: 'Xem tất cả điểm',
  devicesCount: (n: number) => `${n} điểm`,
  summary: (up: number, total: number) => `${up}/${total} điểm đang hoạt động`,
  report: {
    title: 'Báo sự cố',
    intro: 'Thiết bị không hoạt động như trang này cho biết? Hãy báo cho xã.',
    device: 'Thiết bị',
    anyDevice: '— Không rõ / chung —',
    text: 'Nội dung',
    placeholder: 'Ví dụ: Wifi nhà văn hoá không vào được mạng từ sáng nay.',
    send: 'Gửi phản ánh',
    sending: 'Đang gửi…',
    sent: 'Đã gửi phản ánh. Cảm ơn bạn!',
    tooShort: 'Nội dung cần ít nhất 3 ký tự.',
    privacy: 'Không cần đăng nhập. Xã không lưu địa chỉ mạng của bạn.',
  },
  print: {
    title: 'In mã QR',
    hint: 'Dán mã QR tại mỗi điểm: người dân quét để xem trạng thái và báo sự cố.',
    button: 'In trang này',
  },
} as const;

/** A refused report in words, from the hub's HUB_ERR_* code. */
export function reportErrorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'HUB_ERR_RATE_LIMITED': {
      const s = Number(/(\d+)\s*s\b/.exec(e.message ?? '')?.[1] ?? 0);
      const minutes = Math.max(1, Math.ceil(s / 60));
      return `Bạn đã gửi nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau ${minutes} phút.`;
    }
    case 'HUB_ERR_VALIDATION':
      return 'Nội dung cần từ 3 đến 1.000 ký tự và không chứa ký tự điều khiển.';
    case 'HUB_ERR_NOT_FOUND':
      return 'Trang này không còn được công khai, hoặc thiết bị không thuộc trang này.';
    case 'HUB_ERR_UNREACHABLE':
      return 'Không kết nối được máy chủ. Vui lòng thử lại sau.';
    default:
      return 'Chưa gửi được phản ánh. Vui lòng thử lại sau.';
  }
}
