import { type StringOptions, Type } from '@sinclair/typebox';

/**
 * Text people type (device, village, site and commune names, tags) is shown on dashboards, printed by the
 * CLI and written into spreadsheets. It may be any Unicode except what a terminal, a spreadsheet or a
 * bidirectional renderer would act on (finding 9: ESC, NUL and U+202E were stored and printed raw):
 * C0 controls (including tab and newline), DEL, C1 controls, and the bidirectional overrides, embeddings
 * and isolates. One pattern, used by the JSON schemas (REST bodies) and the CSV import alike.
 */
export const PLAIN_TEXT_PATTERN =
  '^[^\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]*$';
const PLAIN_TEXT = new RegExp(PLAIN_TEXT_PATTERN);
/** The same class as PLAIN_TEXT_PATTERN, built from one string so the two cannot drift. */
const FORBIDDEN_CLASS = PLAIN_TEXT_PATTERN.slice(3, PLAIN_TEXT_PATTERN.indexOf(']'));
const FORBIDDEN = new RegExp(`[${FORBIDDEN_CLASS}]`);

/** The refusal, said the same way by the API (HUB_ERR_CONTROL_CHARACTERS) and the CSV import. */
export const CONTROL_CHARACTERS_MESSAGE =
  'must not contain control characters (tab, newline, ESC, NUL…) or bidirectional overrides (U+202A–U+202E, U+2066–U+2069)';

/** A string schema of plain text: the options of Type.String plus the pattern above. */
export function PlainText(options: StringOptions = {}) {
  return Type.String({ ...options, pattern: PLAIN_TEXT_PATTERN });
}

export function isPlainText(text: string): boolean {
  return PLAIN_TEXT.test(text);
}

/** The first forbidden character as `U+XXXX`, for a message that names it; null when the text is plain. */
export function firstControlCharacter(text: string): string | null {
  const m = FORBIDDEN.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/**
 * OWASP CSV-injection guidance: a cell that starts with = + - @, a tab or a carriage return may be run
 * as a formula by a spreadsheet (even when stored as text, once someone edits and confirms the cell).
 * Such text gets a leading apostrophe, the spreadsheet convention for "this is text". Every export
 * (annex XLSX/DOCX, the devices CLI's CSV) passes people's text through this.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** For a terminal: control characters and bidi overrides shown as `\u{…}` instead of acting on the terminal. */
export function escapeControlCharacters(text: string): string {
  return text.replace(
    new RegExp(FORBIDDEN.source, 'g'),
    (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}
