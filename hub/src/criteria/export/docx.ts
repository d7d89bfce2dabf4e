import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { ANNEX_HEADERS, type AnnexModel, type AnnexSource, buildAnnexModel } from './annex-model.ts';
import { stabilizeZip } from './stable-zip.ts';

/**
 * The annex as a Word document (docx), ready to attach to the commune's report: heading, the annex
 * table in the provincial layout, totals, the report's hash, and the signature block. Text is only ever
 * text runs; user text was neutralised by the model.
 */

const FONT = 'Times New Roman';
/** Column widths in percent of the table, summing to 100 (landscape A4). */
const WIDTHS = [5, 30, 8, 8, 9, 8, 20, 12];
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = {
  top: NONE,
  bottom: NONE,
  left: NONE,
  right: NONE,
  insideHorizontal: NONE,
  insideVertical: NONE,
};

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  size?: number;
  color?: string;
}

/** One paragraph per line, so evidence with several lines stays readable inside a cell. */
function paragraphs(text: string, align: Align, style: RunStyle = {}) {
  const lines = text === '' ? [''] : text.split('\n');
  return lines.map(
    (line) =>
      new Paragraph({
        alignment: align,
        children: [new TextRun({ text: line, font: FONT, size: style.size ?? 22, ...style })],
      }),
  );
}

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

function line(text: string, style: RunStyle = {}, align: Align = AlignmentType.CENTER): Paragraph {
  return new Paragraph({
    alignment: align,
    spacing: { after: 60 },
    children: [new TextRun({ text, font: FONT, size: style.size ?? 24, ...style })],
  });
}

function annexTable(model: AnnexModel): Table {
  const cell = (text: string, i: number, opts: { header?: boolean; bold?: boolean; color?: string } = {}) =>
    new TableCell({
      width: { size: WIDTHS[i]!, type: WidthType.PERCENTAGE },
      verticalAlign: opts.header ? VerticalAlign.CENTER : VerticalAlign.TOP,
      shading: opts.header ? { fill: 'E8EEF7' } : undefined,
      margins: { top: 40, bottom: 40, left: 60, right: 60 },
      children: paragraphs(
        text,
        opts.header || i === 0 || (i >= 2 && i <= 5) ? AlignmentType.CENTER : AlignmentType.LEFT,
        { bold: opts.header || opts.bold, color: opts.color, size: opts.header ? 22 : 21 },
      ),
    });
  const header = new TableRow({
    tableHeader: true,
    children: ANNEX_HEADERS.map((h, i) => cell(h, i, { header: true })),
  });
  const rows = model.rows.map(
    (r) =>
      new TableRow({
        cantSplit: true,
        children: r.cells.map((text, i) =>
          cell(text, i, {
            bold: r.group,
            color: i === 5 && r.assessment === 'khong_dat' ? 'C00000' : undefined,
          }),
        ),
      }),
  );
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    layout: TableLayoutType.FIXED,
    rows: [header, ...rows],
  });
}

/** Two columns without borders: left and right halves of a heading or of the signature block. */
function twoColumns(left: Paragraph[], right: Paragraph[], leftPct = 40): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          new TableCell({
            width: { size: leftPct, type: WidthType.PERCENTAGE },
            borders: NO_BORDERS,
            children: left,
          }),
          new TableCell({
            width: { size: 100 - leftPct, type: WidthType.PERCENTAGE },
            borders: NO_BORDERS,
            children: right,
          }),
        ],
      }),
    ],
  });
}

function signatureBlock(model: AnnexModel): Table {
  const [preparer, chairman] = model.signers;
  const blank = () => line(' ');
  const side = (s: NonNullable<typeof preparer>, withDate: boolean) => [
    withDate ? line(model.placeDate, { italics: true }) : line(' '),
    line(s.title, { bold: true }),
    line(s.subtitle, { italics: true, size: 22 }),
    blank(),
    blank(),
    blank(),
    line(s.name || ' ', { bold: true }),
  ];
  return twoColumns(side(preparer!, false), side(chairman!, true), 45);
}

export async function buildAnnexDocx(source: AnnexSource): Promise<{ bytes: Buffer; fileName: string }> {
  const model = buildAnnexModel(source);
  const heading = twoColumns(
    model.authority.map((t) => line(t, { bold: true })),
    model.nation.map((t, i) => line(t, { bold: true, size: i === 0 ? 24 : 26 })),
  );
  const footerText = model.statusLines.length > 1 ? model.statusLines[1]! : model.statusLines[0]!;
  const doc = new Document({
    creator: 'Commune Hub',
    title: `${model.title} — ${model.periodLine}`,
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { orientation: PageOrientation.LANDSCAPE },
            margin: { top: 1000, bottom: 1000, left: 1000, right: 1000 },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                children: [
                  new TextRun({ text: `${footerText}    Trang `, font: FONT, size: 16 }),
                  new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: 16 }),
                ],
              }),
            ],
          }),
        },
        children: [
          heading,
          line(' '),
          line(model.title, { bold: true, size: 28 }),
          line(model.setLine),
          line(model.communeLine),
          line(model.periodLine),
          ...model.statusLines.map((s) => line(s, { size: 20, italics: true })),
          line(' '),
          annexTable(model),
          line(model.summaryLine, { italics: true, size: 22 }, AlignmentType.LEFT),
          line(' '),
          signatureBlock(model),
        ],
      },
    ],
  });
  // The same bytes on every download of a report: dates fixed to the report's own time.
  const bytes = await stabilizeZip(await Packer.toBuffer(doc), model.at);
  return { bytes, fileName: `${model.fileBase}.docx` };
}
