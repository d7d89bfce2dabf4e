import type { PublicStatus } from '@commune-hub/protocol';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/**
 * The citizen's words: plain language, no technical term. The public page is for anyone standing at a
 * cultural house with a phone: Vietnamese unless this browser chose English on the dashboard. Vietnamese
 * is the reference; English has the same shape.
 */
const vi = {
  lang: 'vi',
  statuses: {
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
  } as Record<PublicStatus, { label: string; hint: string }>,
  uptimeThisMonth: (month: number, year: number) => `Thời gian hoạt động tháng ${month}/${year}`,
  noUptime: 'chưa đo được',
  loading: 'Đang tải…',
  notFound: 'Không có trang trạng thái này, hoặc trang chưa được công khai.',
  unreachable: 'Không kết nối được máy chủ. Vui lòng thử lại sau.',
  updated: 'Cập nhật lúc',
  allDevices: 'Xem tất cả điểm',
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
  /** A refused report, from the hub's HUB_ERR_* code. */
  refused: {
    rateLimited: (minutes: number) =>
      `Bạn đã gửi nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau ${minutes} phút.`,
    validation: 'Nội dung cần từ 3 đến 1.000 ký tự và không chứa ký tự điều khiển.',
    notFound: 'Trang này không còn được công khai, hoặc thiết bị không thuộc trang này.',
    unreachable: 'Không kết nối được máy chủ. Vui lòng thử lại sau.',
    other: 'Chưa gửi được phản ánh. Vui lòng thử lại sau.',
  },
  print: {
    title: 'In mã QR',
    hint: 'Dán mã QR tại mỗi điểm: người dân quét để xem trạng thái và báo sự cố.',
    button: 'In trang này',
    qr: (name: string) => `Mã QR: ${name}`,
  },
};

export type PublicWords = typeof vi;

const en: PublicWords = {
  lang: 'en',
  statuses: {
    up: { label: 'Working', hint: 'The device works normally.' },
    degraded: {
      label: 'Working intermittently',
      hint: 'The device still runs but reports a fault; the commune has been told.',
    },
    down: {
      label: 'Interrupted',
      hint: 'The commune knows this device has lost its connection and will fix it.',
    },
    maintenance: { label: 'Under maintenance', hint: 'The device is under scheduled maintenance.' },
    unknown: { label: 'No information yet', hint: 'No signal has been received from this device yet.' },
  },
  uptimeThisMonth: (month: number, year: number) => `Uptime in ${month}/${year}`,
  noUptime: 'not measured yet',
  loading: 'Loading…',
  notFound: 'There is no such status page, or it is not published.',
  unreachable: 'Cannot reach the server. Please try again later.',
  updated: 'Updated at',
  allDevices: 'See every point',
  summary: (up: number, total: number) => `${up}/${total} points working`,
  report: {
    title: 'Report a problem',
    intro: 'Is a device not working as this page says? Tell the commune.',
    device: 'Device',
    anyDevice: '— Not sure / general —',
    text: 'Message',
    placeholder: 'For example: the cultural house wifi has had no internet since this morning.',
    send: 'Send report',
    sending: 'Sending…',
    sent: 'Report sent. Thank you!',
    tooShort: 'The message needs at least 3 characters.',
    privacy: 'No sign-in needed. The commune does not keep your network address.',
  },
  refused: {
    rateLimited: (minutes: number) =>
      `You have sent several reports in a short time. Please try again in ${minutes} minutes.`,
    validation: 'The message needs 3 to 1,000 characters and no control characters.',
    notFound: 'This page is no longer published, or the device is not on it.',
    unreachable: 'Cannot reach the server. Please try again later.',
    other: 'The report was not sent. Please try again later.',
  },
  print: {
    title: 'Print QR codes',
    hint: 'Stick the QR code at each point: citizens scan it to see the state and report a problem.',
    button: 'Print this page',
    qr: (name: string) => `QR code: ${name}`,
  },
};

export const PUBLIC_WORDS = { vi, en } as const;

/** Kept for the tests and callers that want the reference words: the Vietnamese status labels. */
export const PUBLIC_STATUS_WORDS = vi.statuses;

export function usePublicWords(): PublicWords {
  return PUBLIC_WORDS[useI18n().lang];
}

/** A refused report in words, from the hub's HUB_ERR_* code. */
export function reportErrorText(err: unknown, w: PublicWords = vi): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'HUB_ERR_RATE_LIMITED': {
      const s = Number(/(\d+)\s*s\b/.exec(e.message ?? '')?.[1] ?? 0);
      return w.refused.rateLimited(Math.max(1, Math.ceil(s / 60)));
    }
    case 'HUB_ERR_VALIDATION':
      return w.refused.validation;
    case 'HUB_ERR_NOT_FOUND':
      return w.refused.notFound;
    case 'HUB_ERR_UNREACHABLE':
      return w.refused.unreachable;
    default:
      return w.refused.other;
  }
}
