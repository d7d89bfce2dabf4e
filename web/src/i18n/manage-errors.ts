/**
 * How /quan-ly says a refused or failed call (from the hub's stable HUB_ERR_* codes and its English
 * messages) and the problems of a CSV import. Same rule as manage.ts: Vietnamese is the reference,
 * English has the same shape.
 */
const vi = {
  /** Names of the fields the hub may name in a refusal. */
  fields: {
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
  } as Record<string, string>,
  /** What each field must look like, said the way an official reads it. */
  rules: {
    id: 'phải chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới, bắt đầu bằng chữ hoặc số, tối đa 64 ký tự',
    slug: 'phải chỉ gồm chữ thường không dấu, số và gạch ngang, tối đa 64 ký tự',
    name: 'phải từ 1 đến 200 ký tự',
    village: 'phải từ 1 đến 200 ký tự',
    intervalS: 'phải là số nguyên từ 1 đến 86.400',
    tags: 'phải mỗi nhãn từ 1 đến 64 ký tự, tối đa 32 nhãn',
  } as Record<string, string>,
  fieldWrong: (field: string) => `${field}: chưa đúng.`,
  fieldRule: (field: string, rule: string) => `${field}: ${rule}.`,
  errors: {
    unauthorized: 'Sai hoặc thiếu mã quản trị. Nhập lại mã quản trị ở đầu trang.',
    validation: 'Dữ liệu chưa đúng, hãy kiểm tra lại các ô đã nhập.',
    deviceExists: 'Mã thiết bị này đã được dùng. Hãy chọn mã khác.',
    exists: 'Đã có một mục cùng mã/địa chỉ. Hãy chọn tên khác.',
    deviceNotFound: 'Không tìm thấy thiết bị (có thể đã bị đổi mã hoặc chưa khai báo).',
    notFound: 'Không tìm thấy mục này (có thể đã bị xoá).',
    badTimeRange: 'Khoảng thời gian chưa đúng: thời điểm kết thúc phải sau thời điểm bắt đầu.',
    rateLimited: 'Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau.',
    unreachable: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
    internal: 'Máy chủ gặp lỗi. Vui lòng thử lại; nếu vẫn lỗi, báo cho người quản trị hệ thống.',
    other: 'Chưa thực hiện được. Vui lòng thử lại.',
  },
  /** The hub's CSV import problems (English, stable wording) in the official's words. */
  importProblems: {
    deviceExists: (id: string) => `Mã ${id} đã có thiết bị khác dùng`,
    duplicateId: (id: string, line: string) => `Mã ${id} trùng với dòng ${line}`,
    unknownParent: (parent: string) => `Gateway ${parent} chưa được khai báo trước dòng này`,
    unknownSite: (site: string) => `Điểm đặt "${site}" chưa có: ghi thêm loại điểm đặt để tạo mới`,
    siteElsewhere: (site: string, village: string) => `Điểm đặt ${site} thuộc thôn khác (${village})`,
    missingColumns: (columns: string) => `Thiếu cột: ${columns}`,
    notCsv: 'Tệp không đọc được dạng CSV (kiểm tra dấu phẩy và dấu ngoặc kép)',
    kind: 'không phải loại thiết bị đã biết',
    intervalS: 'phải là số nguyên từ 1 đến 86.400',
    id: 'chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, tối đa 64 ký tự',
    length: 'cần từ 1 đến 200 ký tự',
    incompleteRow: 'Dòng thiếu thông tin bắt buộc (mã, loại, tên, thôn)',
  },
};

export type ManageErrorWords = typeof vi;

const en: ManageErrorWords = {
  fields: {
    id: 'Device id',
    kind: 'Device kind',
    name: 'Name',
    village: 'Village',
    intervalS: 'Heartbeat interval (seconds)',
    deviceIds: 'Devices',
    from: 'Start',
    to: 'End',
    note: 'Note',
    slug: 'Page address',
    selector: 'Device group',
    tags: 'Tags',
    parent: 'Gateway',
    site: 'Site',
  },
  rules: {
    id: 'must use only lower-case letters without accents, digits, dots, hyphens or underscores, start with a letter or digit, at most 64 characters',
    slug: 'must use only lower-case letters without accents, digits and hyphens, at most 64 characters',
    name: 'must be 1 to 200 characters',
    village: 'must be 1 to 200 characters',
    intervalS: 'must be a whole number from 1 to 86,400',
    tags: 'must be 1 to 64 characters per tag, at most 32 tags',
  },
  fieldWrong: (field: string) => `${field}: not valid.`,
  fieldRule: (field: string, rule: string) => `${field}: ${rule}.`,
  errors: {
    unauthorized: 'Wrong or missing admin credentials. Sign in again as an administrator.',
    validation: 'Some data is not valid: check the fields you filled in.',
    deviceExists: 'This device id is already used. Choose another one.',
    exists: 'An item with the same id or address already exists. Choose another name.',
    deviceNotFound: 'Device not found (its id may have changed, or it was never added).',
    notFound: 'Item not found (it may have been deleted).',
    badTimeRange: 'The time range is not valid: the end must be after the start.',
    rateLimited: 'Too many requests in a short time. Please try again later.',
    unreachable: 'Cannot reach the server. Check the network and try again.',
    internal: 'The server had an error. Please try again; if it persists, tell the system administrator.',
    other: 'Not done. Please try again.',
  },
  importProblems: {
    deviceExists: (id: string) => `Id ${id} is already used by another device`,
    duplicateId: (id: string, line: string) => `Id ${id} is the same as on line ${line}`,
    unknownParent: (parent: string) => `Gateway ${parent} is not declared before this line`,
    unknownSite: (site: string) => `Site "${site}" does not exist: add a site type to create it`,
    siteElsewhere: (site: string, village: string) => `Site ${site} is in another village (${village})`,
    missingColumns: (columns: string) => `Missing columns: ${columns}`,
    notCsv: 'The file cannot be read as CSV (check commas and double quotes)',
    kind: 'not a known device kind',
    intervalS: 'must be a whole number from 1 to 86,400',
    id: 'only lower-case letters without accents, digits, dots, hyphens, at most 64 characters',
    length: 'must be 1 to 200 characters',
    incompleteRow: 'The row lacks required data (id, kind, name, village)',
  },
};

export const MANAGE_ERROR_WORDS = { vi, en } as const;
