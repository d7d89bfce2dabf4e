import ExcelJS from 'exceljs';
import {
  ANNEX_HEADERS,
  type AnnexModel,
  type AnnexSource,
  buildAnnexModel,
  COVERAGE_HEADERS,
  EVIDENCE_HEADERS,
  MANUAL_HEADERS,
} from './annex-model.ts';
import { stabilizeZip } from './stable-zip.ts';

/**
 * The annex as an Excel workbook (exceljs): the "Phụ lục" sheet in the provincial layout, one evidence
 * sheet per measured criterion, and the manual inputs with who entered them. Every cell is written as a
 * plain value (string or number), never as a formula, and user text was neutralised by the model.
 */

const FONT = 'Times New Roman';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFE8EEF7' } };
const ANNEX_WIDTHS = [7, 52, 11, 13, 14, 12, 44, 30];

function centred(row: ExcelJS.Row, bold = false, size = 12): void {
  row.font = { name: FONT, size, bold };
  row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
}

function mergedLine(ws: ExcelJS.Worksheet, text: string, cols: number, bold = false, size = 12): ExcelJS.Row {
  const row = ws.addRow([text]);
  ws.mergeCells(row.number, 1, row.number, cols);
  centred(row, bold, size);
  return row;
}

function headerRow(ws: ExcelJS.Worksheet, headers: readonly string[]): ExcelJS.Row {
  const row = ws.addRow([...headers]);
  fitHeight(ws, row, headers);
  row.eachCell((cell) => {
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = HEADER_FILL;
  });
  return row;
}

/**
 * Spreadsheets do not grow a row for wrapped text written by a program (LibreOffice prints such rows
 * one line high, text over text), so the height is set from an estimate of the wrapped lines.
 */
function fitHeight(
  ws: ExcelJS.Worksheet,
  row: ExcelJS.Row,
  values: readonly (string | number | null)[],
): void {
  let lines = 1;
  values.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') return;
    const perLine = Math.max(4, Math.floor((ws.getColumn(i + 1).width ?? 10) * 1.05));
    const n = v.split('\n').reduce((sum, part) => sum + Math.max(1, Math.ceil(part.length / perLine)), 0);
    lines = Math.max(lines, n);
  });
  if (lines > 1) row.height = lines * 14.5 + 3;
}

function bodyRow(
  ws: ExcelJS.Worksheet,
  values: readonly (string | number | null)[],
  bold = false,
): ExcelJS.Row {
  const row = ws.addRow(values.map((v) => (v === null ? '' : v)));
  for (let c = 1; c <= values.length; c++) {
    const cell = row.getCell(c);
    cell.font = { name: FONT, size: 11, bold };
    cell.alignment = { vertical: 'top', wrapText: true };
    cell.border = BORDER;
  }
  fitHeight(ws, row, values);
  return row;
}

function annexSheet(wb: ExcelJS.Workbook, model: AnnexModel): void {
  const ws = wb.addWorksheet('Phụ lục', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = ANNEX_WIDTHS.map((width) => ({ width }));
  const cols = ANNEX_HEADERS.length;

  // Heading: the authority on the left, the national motto on the right, as on every official form.
  for (let i = 0; i < 2; i++) {
    const row = ws.addRow([model.authority[i] ?? '', '', '', '', model.nation[i] ?? '']);
    ws.mergeCells(row.number, 1, row.number, 3);
    ws.mergeCells(row.number, 5, row.number, cols);
    centred(row, true, i === 0 ? 12 : 12);
  }
  ws.addRow([]);
  mergedLine(ws, model.title, cols, true, 14);
  mergedLine(ws, model.setLine, cols, false, 12);
  mergedLine(ws, model.communeLine, cols);
  mergedLine(ws, model.periodLine, cols);
  for (const line of model.statusLines) mergedLine(ws, line, cols, false, 10);
  ws.addRow([]);

  const header = headerRow(ws, ANNEX_HEADERS);
  ws.views = [{ state: 'frozen', ySplit: header.number }];
  ws.pageSetup.printTitlesRow = `${header.number}:${header.number}`;
  for (const r of model.rows) {
    const row = bodyRow(ws, r.cells, r.group);
    row.getCell(1).alignment = { horizontal: 'center', vertical: 'top' };
    for (const c of [3, 4, 5, 6])
      row.getCell(c).alignment = { horizontal: 'center', vertical: 'top', wrapText: true };
    if (r.assessment === 'khong_dat')
      row.getCell(6).font = { name: FONT, size: 11, bold: true, color: { argb: 'FFC00000' } };
  }

  ws.addRow([]);
  const summary = ws.addRow([model.summaryLine]);
  ws.mergeCells(summary.number, 1, summary.number, cols);
  summary.font = { name: FONT, size: 11, italic: true };

  // Signature block: place and date over the chairman's side, the preparer on the left.
  ws.addRow([]);
  const date = ws.addRow(['', '', '', '', model.placeDate]);
  ws.mergeCells(date.number, 5, date.number, cols);
  date.getCell(5).font = { name: FONT, size: 12, italic: true };
  date.getCell(5).alignment = { horizontal: 'center' };
  const [left, right] = model.signers;
  for (const key of ['title', 'subtitle'] as const) {
    const row = ws.addRow(['', left![key], '', '', right![key]]);
    ws.mergeCells(row.number, 2, row.number, 3);
    ws.mergeCells(row.number, 5, row.number, cols);
    centred(row, key === 'title', key === 'title' ? 12 : 11);
    if (key === 'subtitle') row.font = { name: FONT, size: 11, italic: true };
  }
  for (let i = 0; i < 3; i++) ws.addRow([]);
  const names = ws.addRow(['', left!.name, '', '', right!.name]);
  ws.mergeCells(names.number, 2, names.number, 3);
  ws.mergeCells(names.number, 5, names.number, cols);
  centred(names, true);
  if (model.statusLines.length > 1) ws.headerFooter.oddFooter = `&L&8${model.statusLines[1]}&R&8Trang &P/&N`;
}

function evidenceSheets(wb: ExcelJS.Workbook, model: AnnexModel): void {
  for (const sheet of model.evidence) {
    const ws = wb.addWorksheet(sheet.sheetName, {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.columns = [6, 16, 28, 16, 16, 16, 22, 16, 12, 17, 17, 9, 32].map((width) => ({ width }));
    const cols = EVIDENCE_HEADERS.length;
    const title = ws.addRow([sheet.title]);
    ws.mergeCells(title.number, 1, title.number, cols);
    title.font = { name: FONT, size: 13, bold: true };
    title.alignment = { wrapText: true };
    for (const line of [model.communeLine, model.periodLine, ...sheet.lines, ...model.statusLines]) {
      const row = ws.addRow([line]);
      ws.mergeCells(row.number, 1, row.number, cols);
      row.font = { name: FONT, size: 11 };
    }
    ws.addRow([]);
    const header = headerRow(ws, EVIDENCE_HEADERS);
    ws.views = [{ state: 'frozen', ySplit: header.number }];
    for (const device of sheet.devices) {
      const row = bodyRow(ws, device.cells);
      row.getCell(9).numFmt = '0.0';
      if (!device.counted) row.getCell(12).font = { name: FONT, size: 11, color: { argb: 'FFC00000' } };
    }
    if (sheet.devices.length === 0) ws.addRow(['Không có thiết bị nào thuộc loại được xét.']);
    if (sheet.coverage.length > 0) {
      ws.addRow([]);
      ws.addRow(['Phạm vi phủ (mỗi đơn vị cần có thiết bị hoạt động)']).font = {
        name: FONT,
        size: 11,
        bold: true,
      };
      headerRow(ws, COVERAGE_HEADERS);
      for (const unit of sheet.coverage) bodyRow(ws, unit);
    }
  }
}

function manualSheet(wb: ExcelJS.Workbook, model: AnnexModel): void {
  if (model.manual.length === 0) return;
  const ws = wb.addWorksheet('Số liệu nhập tay');
  ws.columns = [16, 20, 16, 36, 22, 30, 26, 20, 17, 16].map((width) => ({ width }));
  const title = ws.addRow(['Số liệu nhập tay và minh chứng (ai nhập, lúc nào)']);
  ws.mergeCells(title.number, 1, title.number, MANUAL_HEADERS.length);
  title.font = { name: FONT, size: 13, bold: true };
  ws.addRow([model.periodLine]).font = { name: FONT, size: 11 };
  headerRow(ws, MANUAL_HEADERS);
  for (const row of model.manual) bodyRow(ws, row);
}

/** Builds the workbook. Deterministic for a report: its times come from the report, not the clock. */
export async function buildAnnexXlsx(source: AnnexSource): Promise<{ bytes: Buffer; fileName: string }> {
  const model = buildAnnexModel(source);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Commune Hub';
  wb.created = new Date(model.at);
  wb.modified = new Date(model.at);
  wb.title = `${model.title} — ${model.periodLine}`;
  annexSheet(wb, model);
  evidenceSheets(wb, model);
  manualSheet(wb, model);
  // The same bytes on every download of a report: zip entry dates fixed to the report's own time.
  const bytes = await stabilizeZip(new Uint8Array(await wb.xlsx.writeBuffer()), model.at);
  return { bytes, fileName: `${model.fileBase}.xlsx` };
}
