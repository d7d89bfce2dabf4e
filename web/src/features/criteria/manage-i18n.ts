import { useI18n } from '../../i18n/I18nProvider.tsx';

/**
 * Words of the part of the page that writes: manual entries, overrides, submission, reports. The errors
 * are keyed by the hub's HUB_ERR_* codes, so the official reads what went wrong and what to do.
 */
const vi = {
  manualTitle: 'Nhập số liệu',
  manualIntro:
    'Các chỉ tiêu không đo được từ thiết bị và các số liệu mà chỉ tiêu tự động cần (như số CBCC). Mỗi lần nhập được lưu lại cùng minh chứng, người nhập và thời điểm.',
  inputsTitle: 'Số liệu đầu vào',
  manualCriteriaTitle: 'Chỉ tiêu nhập tay',
  overridesTitle: 'Sửa kết quả tự động (ghi đè)',
  current: 'Hiện tại',
  none: 'Chưa nhập',
  enter: 'Nhập',
  enterOverride: 'Ghi đè',
  value: 'Giá trị',
  yes: 'Có',
  no: 'Không',
  evidenceText: 'Minh chứng (mô tả)',
  docNumber: 'Số văn bản',
  docDate: 'Ngày văn bản',
  link: 'Đường dẫn tài liệu',
  by: 'Người nhập (họ và tên)',
  reason: 'Lý do ghi đè',
  save: 'Lưu',
  saving: 'Đang lưu…',
  needEvidence: 'Cần ít nhất một minh chứng: mô tả, số văn bản hoặc đường dẫn tài liệu.',
  saved: 'Đã lưu.',
  cancel: 'Hủy',
  computed: 'Tự động',
  overrideBy: (by: string, at: string) => `Ghi đè bởi ${by} lúc ${at}`,
  enteredBy: (by: string, at: string) => `${by} · ${at}`,
  tokenTitle: 'Mã quản trị',
  tokenHint:
    'Cần mã quản trị của hub để nhập số liệu và nộp báo cáo. Mã được giữ trên máy này (dùng chung với trang Cảnh báo); máy dùng chung thì bấm "Quên mã" khi xong việc.',
  tokenSave: 'Dùng mã này',
  tokenForget: 'Quên mã',
  tokenSet: 'Đã có mã quản trị cho phiên này.',
  submitTitle: 'Nộp báo cáo',
  submit: 'Nộp báo cáo',
  submitIntro: (period: string) =>
    `Nộp báo cáo ${period}: kết quả, minh chứng và số liệu nhập tay được đóng băng kèm mã SHA-256; sau này chỉ có thể lập bản sửa.`,
  submitConfirm: (period: string) => `Xác nhận nộp báo cáo ${period}?`,
  confirm: 'Xác nhận nộp',
  note: 'Ghi chú (không bắt buộc)',
  submitted: (version: number) => `Đã nộp báo cáo (phiên bản ${version}).`,
  alreadySubmitted: 'Kỳ này đã có báo cáo đã nộp. Muốn thay đổi, hãy lập bản sửa trong danh sách bên dưới.',
  reportsTitle: 'Báo cáo đã nộp',
  reportsEmpty: 'Chưa có báo cáo nào được nộp.',
  period: 'Kỳ',
  version: 'Phiên bản',
  hash: 'Mã SHA-256',
  copy: 'Sao chép',
  copied: 'Đã sao chép',
  submittedBy: 'Người nộp, thời điểm',
  files: 'Tệp',
  superseded: (id: number) => `Đã được thay bằng bản sửa #${id}`,
  supersedes: (id: number) => `Sửa cho báo cáo #${id}`,
  correct: 'Lập bản sửa',
  correctConfirm: (period: string, version: number) =>
    `Lập bản sửa cho báo cáo ${period} (phiên bản ${version})? Bản sửa lấy số liệu hiện tại, trở thành phiên bản mới và ghi rõ bản cũ.`,
  confirmCorrect: 'Xác nhận lập bản sửa',
  errors: {
    HUB_ERR_UNAUTHORIZED: 'Mã quản trị không đúng hoặc chưa nhập. Hãy nhập lại mã quản trị.',
    HUB_ERR_VALIDATION: 'Thông tin nhập chưa hợp lệ. Hãy kiểm tra lại các ô (họ tên người nhập là bắt buộc).',
    HUB_ERR_MANUAL_VALUE:
      'Số liệu chưa hợp lệ: giá trị phải đúng loại của chỉ tiêu (một số, phần trăm từ 0 đến 100, Có/Không) và cần minh chứng (mô tả, số văn bản hoặc đường dẫn).',
    HUB_ERR_REPORT_EXISTS: 'Kỳ này đã có báo cáo đã nộp. Hãy dùng "Lập bản sửa" để tạo phiên bản mới.',
    HUB_ERR_BAD_TIME_RANGE: 'Kỳ báo cáo không hợp lệ (từ ngày sau đến ngày, hoặc dài quá 5 năm).',
    HUB_ERR_NOT_FOUND: 'Không tìm thấy bộ chỉ tiêu hoặc báo cáo này.',
    HUB_ERR_CRITERIA_INVALID: 'Bộ chỉ tiêu có lỗi, hub chưa nạp được.',
    HUB_ERR_UNREACHABLE: 'Không kết nối được tới hub. Kiểm tra mạng rồi thử lại.',
    other: 'Có lỗi khi lưu. Hãy thử lại; nếu vẫn lỗi, báo cho cán bộ kỹ thuật.',
  } as Record<string, string>,
};

type Words = typeof vi;

const en: Words = {
  manualTitle: 'Enter figures',
  manualIntro:
    'Criteria no device can measure, and the figures automatic criteria need (such as the number of officials). Every entry is kept with its evidence, who entered it and when.',
  inputsTitle: 'Inputs',
  manualCriteriaTitle: 'Manual criteria',
  overridesTitle: 'Correct an automatic result (override)',
  current: 'Current',
  none: 'Not entered',
  enter: 'Enter',
  enterOverride: 'Override',
  value: 'Value',
  yes: 'Yes',
  no: 'No',
  evidenceText: 'Evidence (description)',
  docNumber: 'Document number',
  docDate: 'Document date',
  link: 'Link to the document',
  by: 'Entered by (full name)',
  reason: 'Reason for the override',
  save: 'Save',
  saving: 'Saving…',
  needEvidence: 'Give at least one piece of evidence: a description, a document number or a link.',
  saved: 'Saved.',
  cancel: 'Cancel',
  computed: 'Automatic',
  overrideBy: (by, at) => `Overridden by ${by} at ${at}`,
  enteredBy: (by, at) => `${by} · ${at}`,
  tokenTitle: 'Admin token',
  tokenHint:
    'Entering figures and submitting need the hub\'s admin token. It is kept on this device (shared with the Alerts page); on a shared computer press "Forget the token" when done.',
  tokenSave: 'Use this token',
  tokenForget: 'Forget the token',
  tokenSet: 'An admin token is set for this session.',
  submitTitle: 'Submit the report',
  submit: 'Submit the report',
  submitIntro: (period) =>
    `Submit the report for ${period}: results, evidence and manual figures are frozen with a SHA-256; later only a correction is possible.`,
  submitConfirm: (period) => `Submit the report for ${period}?`,
  confirm: 'Confirm submission',
  note: 'Note (optional)',
  submitted: (version) => `Report submitted (version ${version}).`,
  alreadySubmitted:
    'This period already has a submitted report. To change it, make a correction in the list below.',
  reportsTitle: 'Submitted reports',
  reportsEmpty: 'No report submitted yet.',
  period: 'Period',
  version: 'Version',
  hash: 'SHA-256',
  copy: 'Copy',
  copied: 'Copied',
  submittedBy: 'Submitted by, at',
  files: 'Files',
  superseded: (id) => `Replaced by correction #${id}`,
  supersedes: (id) => `Corrects report #${id}`,
  correct: 'Make a correction',
  correctConfirm: (period, version) =>
    `Make a correction of the report for ${period} (version ${version})? It takes the current figures, becomes the next version and names the old one.`,
  confirmCorrect: 'Confirm the correction',
  errors: {
    HUB_ERR_UNAUTHORIZED: 'The admin token is wrong or missing. Enter it again.',
    HUB_ERR_VALIDATION:
      'Something entered is not valid. Check the fields (the name of who enters is required).',
    HUB_ERR_MANUAL_VALUE:
      'Not valid: the value must fit the criterion (a number, a percentage 0–100, yes/no) and needs evidence (a description, a document number or a link).',
    HUB_ERR_REPORT_EXISTS:
      'This period already has a submitted report. Use "Make a correction" for a new version.',
    HUB_ERR_BAD_TIME_RANGE: 'The period is not valid (from after to, or longer than 5 years).',
    HUB_ERR_NOT_FOUND: 'This criteria set or report was not found.',
    HUB_ERR_CRITERIA_INVALID: 'The criteria set has errors and is not loaded.',
    HUB_ERR_UNREACHABLE: 'Cannot reach the hub. Check the network and try again.',
    other: 'Saving failed. Try again; if it keeps failing, tell the technician.',
  },
};

/** The words of one language (for tests and non-React callers). */
export const MANAGE_WORDS = { vi, en } as const;

export function useManageI18n() {
  const { lang } = useI18n();
  return { lang, m: lang === 'vi' ? vi : en };
}

/** The message for a failed write: by its HUB_ERR_* code, else the generic one. */
export function errorMessage(words: Words, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && words.errors[code]) || words.errors.other!;
}
