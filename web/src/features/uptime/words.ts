import { useI18n } from '../../i18n/I18nProvider.tsx';

/** Words of the uptime page. Vietnamese is the reference; English has the same shape (tsc checks). */
const vi = {
  title: 'Thời gian hoạt động',
  intro:
    'Tỷ lệ thời gian thiết bị hoạt động trong kỳ, đo từ tín hiệu thực tế. Thời gian bảo trì và thời gian hệ thống tắt không tính vào tỷ lệ.',
  period: 'Kỳ',
  periodKinds: { month: 'Tháng', quarter: 'Quý', year: 'Năm' },
  previous: 'Kỳ trước',
  next: 'Kỳ sau',
  kindFilter: 'Loại thiết bị',
  allKinds: 'Tất cả loại',
  villageFilter: 'Thôn',
  allVillages: 'Tất cả thôn',
  total: 'Toàn xã',
  byKind: 'Theo loại thiết bị',
  byVillage: 'Theo thôn',
  byDevice: 'Theo thiết bị',
  cols: {
    name: 'Tên',
    devices: 'Số thiết bị',
    ratio: 'Tỷ lệ hoạt động',
    down: 'Mất kết nối',
    unknown: 'Không rõ (hệ thống tắt)',
    maintenance: 'Bảo trì',
    village: 'Thôn',
    kind: 'Loại',
    bar: 'Từng ngày',
    barHours: 'Từng giờ',
  },
  notMeasured: 'chưa đo được',
  loading: 'Đang tính thời gian hoạt động…',
  loadError: 'Không tải được số liệu thời gian hoạt động',
  noDevices: 'Không có thiết bị nào trong kỳ này.',
  legend: {
    up: 'Hoạt động',
    down: 'Mất kết nối',
    unknown: 'Không rõ',
    maintenance: 'Bảo trì',
    none: 'Chưa có',
  },
  barLabel: (name: string) => `Thời gian hoạt động từng ngày của ${name}; dùng phím mũi tên để xem từng ô`,
  cellUp: (p: string) => `hoạt động ${p}`,
  tableAlt: 'Bảng số liệu của biểu đồ',
  showTable: 'Xem dạng bảng',
  partial: (until: string) => `Kỳ đang diễn ra: số liệu tính đến ${until}.`,
};

export type UptimeWords = typeof vi;

const en: UptimeWords = {
  title: 'Uptime',
  intro:
    'Share of the time each device worked in the period, measured from its heartbeats. Maintenance and time the hub was off are left out.',
  period: 'Period',
  periodKinds: { month: 'Month', quarter: 'Quarter', year: 'Year' },
  previous: 'Previous period',
  next: 'Next period',
  kindFilter: 'Device kind',
  allKinds: 'All kinds',
  villageFilter: 'Village',
  allVillages: 'All villages',
  total: 'Whole commune',
  byKind: 'By device kind',
  byVillage: 'By village',
  byDevice: 'By device',
  cols: {
    name: 'Name',
    devices: 'Devices',
    ratio: 'Uptime',
    down: 'Down',
    unknown: 'Unknown (hub off)',
    maintenance: 'Maintenance',
    village: 'Village',
    kind: 'Kind',
    bar: 'Day by day',
    barHours: 'Hour by hour',
  },
  notMeasured: 'not measured',
  loading: 'Computing uptime…',
  loadError: 'Could not load the uptime figures',
  noDevices: 'No device in this period.',
  legend: { up: 'Up', down: 'Down', unknown: 'Unknown', maintenance: 'Maintenance', none: 'No data' },
  barLabel: (name: string) => `Daily uptime of ${name}; use the arrow keys to read each cell`,
  cellUp: (p: string) => `up ${p}`,
  tableAlt: "The chart's data as a table",
  showTable: 'Show as a table',
  partial: (until: string) => `Period still running: figures up to ${until}.`,
};

export const UPTIME_WORDS = { vi, en } as const;
const WORDS = UPTIME_WORDS;

export function useUptimeWords(): UptimeWords {
  return WORDS[useI18n().lang];
}
