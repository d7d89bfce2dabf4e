import { useI18n } from '../../i18n/I18nProvider.tsx';

/** Words of the village view. Vietnamese is the reference; English has the same shape (tsc checks). */
const vi = {
  title: 'Các thôn',
  intro: 'Mỗi thôn với các thiết bị của thôn: bao nhiêu đang hoạt động, và thay đổi gần nhất.',
  loading: 'Đang tải danh sách thôn…',
  loadError: 'Không tải được danh sách thôn',
  none: 'Chưa có thôn nào có thiết bị.',
  notFound: 'Không có thôn này.',
  allVillages: 'Tất cả các thôn',
  working: (up: number, total: number) => `${up}/${total} thiết bị hoạt động`,
  offline: (n: number) => `${n} mất kết nối`,
  degraded: (n: number) => `${n} suy giảm`,
  maintenance: (n: number) => `${n} bảo trì`,
  unknown: (n: number) => `${n} chưa kết nối`,
  lastChange: 'Thay đổi gần nhất',
  noChange: 'chưa có thay đổi',
  powerCut: 'Nghi mất điện',
  networkCut: 'Nghi mất mạng',
  outageSince: (clock: string, duration: string) => `từ ${clock} (${duration})`,
  outageEvidence: {
    battery: 'loa chuyển sang chạy pin',
    mass_drop: 'phần lớn thiết bị của thôn mất kết nối cùng lúc',
    gateway: 'thiết bị trung gian (gateway) và các thiết bị sau nó cùng mất kết nối',
  },
  commune: (name: string) => `Xã ${name.replace(/^xã\s+/i, '')}`,
  formerCommune: (name: string, now: string) =>
    `Thuộc xã cũ ${name.replace(/^xã\s+/i, '')} (trước sáp nhập 2025, nay là ${now})`,
  noCommune: 'Chưa gắn với xã nào',
  devices: 'Thiết bị của thôn',
  since: (clock: string, duration: string) => `từ ${clock} (${duration})`,
  uptimeLink: 'Xem thời gian hoạt động của thôn',
};

export type VillageWords = typeof vi;

const en: VillageWords = {
  title: 'Villages',
  intro: 'Each village with its devices: how many work, and the latest change.',
  loading: 'Loading villages…',
  loadError: 'Could not load the villages',
  none: 'No village has devices yet.',
  notFound: 'No such village.',
  allVillages: 'All villages',
  working: (up: number, total: number) => `${up}/${total} devices working`,
  offline: (n: number) => `${n} offline`,
  degraded: (n: number) => `${n} degraded`,
  maintenance: (n: number) => `${n} in maintenance`,
  unknown: (n: number) => `${n} never connected`,
  lastChange: 'Latest change',
  noChange: 'no change yet',
  powerCut: 'Likely power cut',
  networkCut: 'Likely network cut',
  outageSince: (clock: string, duration: string) => `since ${clock} (${duration})`,
  outageEvidence: {
    battery: 'loudspeakers switched to battery',
    mass_drop: 'most of the village dropped at once',
    gateway: 'the gateway and every device behind it dropped',
  },
  commune: (name: string) => name,
  formerCommune: (name: string, now: string) => `Former commune ${name} (before the 2025 merger, now ${now})`,
  noCommune: 'No commune',
  devices: "The village's devices",
  since: (clock: string, duration: string) => `since ${clock} (${duration})`,
  uptimeLink: "See the village's uptime",
};

export const VILLAGE_WORDS = { vi, en } as const;
const WORDS = VILLAGE_WORDS;

export function useVillageWords(): VillageWords {
  return WORDS[useI18n().lang];
}
