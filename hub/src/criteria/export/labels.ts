import type { DeviceKind, LocationType, ManualEntryType } from '@commune-hub/protocol';

/** Vietnamese names the annex's evidence sheets print (the dashboard has its own dictionary). */
export const KIND_LABELS_VI: Record<DeviceKind, string> = {
  loudspeaker: 'Cụm loa',
  wifi: 'Điểm phát wifi',
  camera: 'Camera an ninh',
  pc: 'Máy tính CBCC',
  kiosk: 'Máy tra cứu (kiosk)',
  rating: 'Máy đánh giá hài lòng',
  idreader: 'Máy quét CCCD',
  conference: 'Hội nghị truyền hình',
  gateway: 'Gateway',
  display: 'Màn hình tuyên truyền / bảng tin điện tử',
  uplink: 'Đường truyền Internet / chuyên dùng',
};

export const LOCATION_TYPE_LABELS_VI: Record<LocationType, string> = {
  commune_office: 'Trụ sở UBND xã',
  cultural_house: 'Nhà văn hóa thôn',
  school: 'Trường học',
  health_station: 'Trạm y tế',
  pagoda: 'Chùa, di tích',
  crossroads: 'Ngã ba, ngã tư',
  market: 'Chợ',
  other: 'Nơi khác',
};

export const ENTRY_TYPE_LABELS_VI: Record<ManualEntryType, string> = {
  value: 'Kết quả nhập tay',
  input: 'Số liệu đầu vào',
  override: 'Thay kết quả tự động',
};
