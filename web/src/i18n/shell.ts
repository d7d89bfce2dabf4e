import { useI18n } from './I18nProvider.tsx';

/**
 * Words of the app shell (navigation, skip link, stale-data notice) and of the home page "Hôm nay".
 * Kept beside dictionary.ts rather than inside it so the shell and the home page can change without
 * touching the shared dictionary; same rule: Vietnamese is the reference, English has the same shape.
 */
const vi = {
  /** The sign-in form after the hub ended the session (expired, signed out elsewhere, account disabled). */
  sessionEnded: 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
  /** Beside an alert rule a commune's admin may read but not change (it reaches every commune). */
  hubWideReadOnly: 'Áp dụng cho mọi xã: chỉ cán bộ cấp tỉnh được sửa hoặc xoá.',
  /** Above the schedules for a commune's admin: schedules reach every commune. */
  schedulesProvinceOnly: 'Lịch làm việc dùng chung cho mọi xã: chỉ cán bộ cấp tỉnh được thêm, sửa hoặc xoá.',
  skipToContent: 'Bỏ qua, đến nội dung chính',
  navLabel: 'Các trang',
  nav: {
    home: 'Hôm nay',
    devices: 'Thiết bị',
    villages: 'Thôn',
    uptime: 'Thời gian hoạt động',
    alerts: 'Cảnh báo',
    criteria: 'Chỉ tiêu hạ tầng số',
    manage: 'Quản lý',
  },
  notFound: 'Không có trang này.',
  backHome: 'Về trang Hôm nay',
  pendingPage: 'Trang này đang được xây dựng.',
  stale: {
    title: 'Mất kết nối tới máy chủ',
    body: (age: string) => `Số liệu trên trang có thể đã cũ: cập nhật lần cuối ${age}.`,
    never: 'Chưa nhận được số liệu nào.',
  },
  home: {
    title: 'Hôm nay',
    commune: (name: string, province: string) => (province ? `${name}, ${province}` : name),
    problems: 'Thiết bị đang gặp sự cố',
    noProblems: 'Mọi thiết bị đang hoạt động bình thường.',
    problemCount: (n: number) => `${n.toLocaleString('vi-VN')} thiết bị`,
    downSince: (clock: string, duration: string) => `mất kết nối từ ${clock} (${duration})`,
    degradedSince: (clock: string, duration: string) => `suy giảm từ ${clock} (${duration})`,
    maintenanceSince: (clock: string) => `bảo trì từ ${clock}`,
    powerCut: 'nghi mất điện',
    networkCut: 'nghi mất mạng',
    noVillage: 'Chưa gán thôn',
    kinds: 'Tình trạng theo loại thiết bị',
    kindLine: (up: number, total: number) =>
      `${up.toLocaleString('vi-VN')}/${total.toLocaleString('vi-VN')} hoạt động`,
    kindDown: (n: number) => `${n.toLocaleString('vi-VN')} mất kết nối`,
    kindDegraded: (n: number) => `${n.toLocaleString('vi-VN')} suy giảm`,
    feed: 'Thay đổi trong 24 giờ qua',
    feedEmpty: 'Không có thay đổi nào trong 24 giờ qua.',
    feedError: 'Không tải được danh sách thay đổi.',
    search: 'Tìm thiết bị',
    searchPlaceholder: 'Tên, mã thiết bị hoặc thôn…',
    searchGo: 'Tìm',
    seeDevice: 'Xem thiết bị',
    feedAlertFired: 'Cảnh báo',
    feedAlertResolved: 'Hết cảnh báo',
    feedMaintenance: (from: string, to: string) => `Bảo trì từ ${from} đến ${to}`,
    feedReport: 'Người dân báo sự cố',
    feedShowAll: (n: number) => `Xem tất cả ${n.toLocaleString('vi-VN')} thay đổi`,
    feedMore: 'Còn nhiều thay đổi cũ hơn không hiện ở đây.',
    kindsCompact: 'Theo loại',
  },
};

export type ShellWords = typeof vi;

const en: ShellWords = {
  sessionEnded: 'Your session has ended. Please sign in again.',
  hubWideReadOnly: 'Applies to every commune: only a province-wide user can change or delete it.',
  schedulesProvinceOnly:
    'Schedules are shared by every commune: only a province-wide user can add, change or delete them.',
  skipToContent: 'Skip to main content',
  navLabel: 'Pages',
  nav: {
    home: 'Today',
    devices: 'Devices',
    villages: 'Villages',
    uptime: 'Uptime',
    alerts: 'Alerts',
    criteria: 'Digital infrastructure criteria',
    manage: 'Manage',
  },
  notFound: 'No such page.',
  backHome: 'Back to Today',
  pendingPage: 'This page is being built.',
  stale: {
    title: 'Lost connection to the server',
    body: (age: string) => `The figures on this page may be out of date: last updated ${age}.`,
    never: 'No data received yet.',
  },
  home: {
    title: 'Today',
    commune: (name: string, province: string) => (province ? `${name}, ${province}` : name),
    problems: 'Devices with problems',
    noProblems: 'All devices are working normally.',
    problemCount: (n: number) => `${n.toLocaleString('en-GB')} devices`,
    downSince: (clock: string, duration: string) => `offline since ${clock} (${duration})`,
    degradedSince: (clock: string, duration: string) => `degraded since ${clock} (${duration})`,
    maintenanceSince: (clock: string) => `in maintenance since ${clock}`,
    powerCut: 'likely power cut',
    networkCut: 'likely network cut',
    noVillage: 'No village',
    kinds: 'Health by device kind',
    kindLine: (up: number, total: number) =>
      `${up.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} working`,
    kindDown: (n: number) => `${n.toLocaleString('en-GB')} offline`,
    kindDegraded: (n: number) => `${n.toLocaleString('en-GB')} degraded`,
    feed: 'Changes in the last 24 hours',
    feedEmpty: 'No changes in the last 24 hours.',
    feedError: 'Could not load the changes.',
    search: 'Find a device',
    searchPlaceholder: 'Name, device id or village…',
    searchGo: 'Search',
    seeDevice: 'Open device',
    feedAlertFired: 'Alert',
    feedAlertResolved: 'Alert resolved',
    feedMaintenance: (from: string, to: string) => `Maintenance from ${from} to ${to}`,
    feedReport: 'Citizen reported a problem',
    feedShowAll: (n: number) => `Show all ${n.toLocaleString('en-GB')} changes`,
    feedMore: 'Older changes are not shown here.',
    kindsCompact: 'By kind',
  },
};

export const SHELL_WORDS = { vi, en } as const;

export function useShellWords(): ShellWords {
  return SHELL_WORDS[useI18n().lang];
}
