import type { ImportReport } from '@commune-hub/protocol';
import { FIELD_WORDS } from './errors.ts';

export interface ImportRow {
  /** The hub's line number of the row (the header is 1, blank lines not counted). */
  line: number;
  id: string;
  /** The row as typed, for the official to recognise it. */
  text: string;
  /** Problems in Vietnamese; none = the row will be imported. */
  errors: string[];
}

/** The hub's import problems (English, stable wording) said in Vietnamese; anything else kept as sent. */
const PROBLEMS: Array<[RegExp, (...m: string[]) => string]> = [
  [/^device (\S+) already exists$/, (id) => `Mã ${id} đã có thiết bị khác dùng`],
  [/^id (\S*) is also on line (\d+)$/, (id, line) => `Mã ${id} trùng với dòng ${line}`],
  [
    /^parent (\S+) is not a gateway registered before this line$/,
    (p) => `Gateway ${p} chưa được khai báo trước dòng này`,
  ],
  [/^site "(.*)" is unknown/, (s) => `Điểm đặt "${s}" chưa có: ghi thêm loại điểm đặt để tạo mới`],
  [/^site (\S+) is in village (\S+)$/, (s, v) => `Điểm đặt ${s} thuộc thôn khác (${v})`],
  [/^missing column\(s\): (.*)$/, (cols) => `Thiếu cột: ${cols}`],
  [/^not readable as CSV/, () => 'Tệp không đọc được dạng CSV (kiểm tra dấu phẩy và dấu ngoặc kép)'],
  [/^kind: /, () => `${FIELD_WORDS.kind}: không phải loại thiết bị đã biết`],
  [/^intervalS: /, () => `${FIELD_WORDS.intervalS}: phải là số nguyên từ 1 đến 86.400`],
  [
    /^id: /,
    () => `${FIELD_WORDS.id}: chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, tối đa 64 ký tự`,
  ],
  [/^(name|village): /, (f) => `${FIELD_WORDS[f!]}: cần từ 1 đến 200 ký tự`],
  [/^row: /, () => 'Dòng thiếu thông tin bắt buộc (mã, loại, tên, thôn)'],
];

export function importProblemText(problem: string): string {
  for (const [re, say] of PROBLEMS) {
    const m = re.exec(problem.trim());
    if (m) return say(...m.slice(1));
  }
  return problem;
}

const say = (message: string) => message.split('; ').map(importProblemText);

/**
 * The dry-run report row by row: every data row of the file with its problems. The hub parses the CSV
 * and numbers rows (header = 1, blank lines skipped); this only splits lines to show them the same way,
 * so a quoted cell holding a line break would shift the rows shown after it.
 */
export function importRows(csv: string, report: ImportReport): { rows: ImportRow[]; general: string[] } {
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const byLine = new Map<number, string[]>();
  const general: string[] = [];
  for (const e of report.errors) {
    if (e.line >= 2 && e.line <= lines.length)
      byLine.set(e.line, [...(byLine.get(e.line) ?? []), ...say(e.message)]);
    else general.push(...say(e.message));
  }
  const rows = lines.slice(1).map((text, i) => ({
    line: i + 2,
    id: text.split(',')[0]?.replace(/^"|"$/g, '').trim() ?? '',
    text,
    errors: byLine.get(i + 2) ?? [],
  }));
  return { rows, general };
}
