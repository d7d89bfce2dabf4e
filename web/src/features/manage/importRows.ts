import type { ImportReport } from '@commune-hub/protocol';
import { MANAGE_ERROR_WORDS, type ManageErrorWords } from '../../i18n/manage-errors.ts';

export interface ImportRow {
  /** The hub's line number of the row (the header is 1, blank lines not counted). */
  line: number;
  id: string;
  /** The row as typed, for the official to recognise it. */
  text: string;
  /** Problems in the official's words; none = the row will be imported. */
  errors: string[];
}

/** The hub's import problems (English, stable wording) in the official's words; anything else kept as sent. */
const PROBLEMS: Array<[RegExp, (w: ManageErrorWords, ...m: string[]) => string]> = [
  [/^device (\S+) already exists$/, (w, id) => w.importProblems.deviceExists(id!)],
  [/^id (\S*) is also on line (\d+)$/, (w, id, line) => w.importProblems.duplicateId(id!, line!)],
  [
    /^parent (\S+) is not a gateway registered before this line$/,
    (w, p) => w.importProblems.unknownParent(p!),
  ],
  [/^site "(.*)" is unknown/, (w, s) => w.importProblems.unknownSite(s!)],
  [/^site (\S+) is in village (\S+)$/, (w, s, v) => w.importProblems.siteElsewhere(s!, v!)],
  [/^missing column\(s\): (.*)$/, (w, cols) => w.importProblems.missingColumns(cols!)],
  [/^not readable as CSV/, (w) => w.importProblems.notCsv],
  [/^kind: /, (w) => `${w.fields.kind}: ${w.importProblems.kind}`],
  [/^intervalS: /, (w) => `${w.fields.intervalS}: ${w.importProblems.intervalS}`],
  [/^id: /, (w) => `${w.fields.id}: ${w.importProblems.id}`],
  [/^(name|village): /, (w, f) => `${w.fields[f!]}: ${w.importProblems.length}`],
  [/^row: /, (w) => w.importProblems.incompleteRow],
];

export function importProblemText(problem: string, w: ManageErrorWords = MANAGE_ERROR_WORDS.vi): string {
  for (const [re, say] of PROBLEMS) {
    const m = re.exec(problem.trim());
    if (m) return say(w, ...m.slice(1));
  }
  return problem;
}

/**
 * The dry-run report row by row: every data row of the file with its problems. The hub parses the CSV
 * and numbers rows (header = 1, blank lines skipped); this only splits lines to show them the same way,
 * so a quoted cell holding a line break would shift the rows shown after it.
 */
export function importRows(
  csv: string,
  report: ImportReport,
  w: ManageErrorWords = MANAGE_ERROR_WORDS.vi,
): { rows: ImportRow[]; general: string[] } {
  const say = (message: string) => message.split('; ').map((p) => importProblemText(p, w));
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
