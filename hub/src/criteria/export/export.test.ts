import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { officeToPdfText } from '../../../../test/support/office.ts';
import { annexEvaluation, FORMULA_TEXTS } from './annex-fixture.ts';
import { ANNEX_HEADERS, type AnnexSource, EVIDENCE_HEADERS } from './annex-model.ts';
import { buildAnnexDocx } from './docx.ts';
import { buildAnnexXlsx } from './xlsx.ts';

const SHA = 'a'.repeat(64);
const NAME_45 =
  'Có điểm phát wifi công cộng tại các địa điểm quan trọng trong xã tùy thuộc điều kiện (như tại UBND xã, nhà văn hoá, các điểm du lịch,...).';

let source: AnnexSource;
let xlsx: { bytes: Buffer; fileName: string };
let docx: { bytes: Buffer; fileName: string };

beforeAll(async () => {
  source = {
    evaluation: annexEvaluation(),
    report: {
      id: 7,
      version: 2,
      supersedes: 6,
      submittedAt: '2026-11-30T03:00:00.000Z',
      submittedBy: 'Nguyễn Thị Hằng',
      sha256: SHA,
    },
  };
  xlsx = await buildAnnexXlsx(source);
  docx = await buildAnnexDocx(source);
});

/** Every cell of a sheet as [row][col] plain values (1-based columns dropped to 0-based). */
function cells(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    out[n - 1] = (row.values as unknown[]).slice(1);
  });
  return out;
}

function findRow(rows: unknown[][], first: unknown): unknown[] | undefined {
  return rows.find((r) => r?.[0] === first);
}

describe('XLSX annex', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
  });

  it('has the annex sheet with the provincial columns, in order', () => {
    const rows = cells(wb.getWorksheet('Phụ lục')!);
    const header = rows.find((r) => r?.[0] === 'STT');
    expect(header).toEqual([...ANNEX_HEADERS]);
    expect(ANNEX_HEADERS).toEqual([
      'STT',
      'Tên chỉ tiêu',
      'Đơn vị tính',
      'Chỉ tiêu',
      'Kết quả',
      'Đánh giá',
      'Tài liệu minh chứng',
      'Ghi chú',
    ]);
  });

  it('writes the rows as a commune does, Vietnamese intact', () => {
    const rows = cells(wb.getWorksheet('Phụ lục')!);
    expect(findRow(rows, '4.5')?.slice(0, 6)).toEqual(['4.5', NAME_45, 'Điểm phát', 'Có', '14 điểm', 'Đạt']);
    expect(findRow(rows, '4.6')?.slice(4, 6)).toEqual(['25 camera', 'Đạt']);
    expect(findRow(rows, '4.3')?.slice(4, 6)).toEqual(['100%', 'Đạt']);
    expect(findRow(rows, '4.7')?.slice(4, 6)).toEqual(['Có', 'Đạt']);
    expect(findRow(rows, '4')?.[1]).toBe('Hạ tầng số');
    expect(rows.filter((r) => typeof r?.[0] === 'string' && /^\d+\.\d+$/.test(r[0] as string))).toHaveLength(
      37,
    );
    const flat = rows.flat().map(String).join('\n');
    for (const text of [
      'UBND XÃ HOÀNG KIM',
      'TỈNH THANH HÓA',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Kỳ đánh giá: Tháng 10/2026 (từ 01/10/2026 đến 31/10/2026)',
      'Hoàng Kim, ngày 30 tháng 11 năm 2026',
      'NGƯỜI LẬP BIỂU',
      'CHỦ TỊCH UBND XÃ',
      `Mã kiểm tra SHA-256: ${SHA}`,
      'Xã Hoằng Xuyên (cũ)',
    ]) {
      expect(flat).toContain(text);
    }
    // UTF-8 read as Latin-1 leaves "á»", "Ä‘"; the replacement character marks lost bytes.
    expect(flat).not.toMatch(/á»|áº|Ä‘|\uFFFD/);
  });

  it('has one evidence sheet per measured criterion, counted and not counted with reasons', () => {
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual(
      expect.arrayContaining(['Phụ lục', 'Minh chứng 4.5', 'Minh chứng 4.6', 'Số liệu nhập tay']),
    );
    const rows = cells(wb.getWorksheet('Minh chứng 4.5')!);
    expect(rows.find((r) => r?.[0] === 'STT')).toEqual([...EVIDENCE_HEADERS]);
    const devices = rows.filter((r) => typeof r?.[0] === 'number');
    expect(devices).toHaveLength(15);
    expect(devices.filter((r) => r[11] === 'Có')).toHaveLength(14);
    const down = devices.find((r) => r[1] === 'wifi-15')!;
    expect(down.slice(3, 9)).toEqual([
      'Điểm phát wifi',
      'Thôn Nam',
      'Xã Hoằng Xuyên (cũ)',
      'Nhà văn hóa Thôn Nam',
      'Nhà văn hóa thôn',
      40,
    ]);
    expect(down[9]).toBe('01/10/2026 00:01');
    expect(down.slice(11)).toEqual(['Không', 'Thời gian hoạt động dưới mức tối thiểu']);
    // The report's hash is on the evidence sheets too.
    expect(rows.flat().join('\n')).toContain(SHA);
  });

  it('keeps formula-looking user text as text, never a formula', () => {
    const all: ExcelJS.Cell[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((cell) => all.push(cell)));
    expect(all.some((c) => c.type === ExcelJS.ValueType.Formula || c.formula !== undefined)).toBe(false);
    const texts = all.map((c) => c.value).filter((v): v is string => typeof v === 'string');
    for (const f of FORMULA_TEXTS) {
      expect(texts.some((t) => t.startsWith(`'${f}`))).toBe(true);
      expect(texts.some((t) => t.startsWith(f))).toBe(false);
    }
    expect(texts.some((t) => /^[=+\-@\t\r]/.test(t))).toBe(false);
  });

  it('names the file in Vietnamese', () => {
    expect(xlsx.fileName).toBe('Phụ lục chỉ tiêu Hoàng Kim - Tháng 10-2026 - báo cáo 7 v2.xlsx');
  });
});

describe('DOCX annex', () => {
  let xml: string;
  beforeAll(async () => {
    const zip = await JSZip.loadAsync(docx.bytes);
    xml = await zip.file('word/document.xml')!.async('string');
  });

  /** The text of each table cell, in order (w:tc → joined w:t runs). */
  function tableCells(): string[] {
    return [...xml.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((m) =>
      [...m[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    );
  }
  const unxml = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');

  it('has the annex table with the exact headers', () => {
    const texts = tableCells();
    const start = texts.indexOf('STT');
    expect(texts.slice(start, start + 8)).toEqual([...ANNEX_HEADERS]);
  });

  it('carries the rows, the commune, the period, the hash and the signature block', () => {
    const texts = tableCells().map(unxml);
    const at = texts.indexOf('4.5');
    expect(texts.slice(at, at + 6)).toEqual(['4.5', NAME_45, 'Điểm phát', 'Có', '14 điểm', 'Đạt']);
    const body = unxml(xml);
    for (const text of [
      'UBND XÃ HOÀNG KIM',
      'Độc lập - Tự do - Hạnh phúc',
      'Kỳ đánh giá: Tháng 10/2026',
      'Hoàng Kim, ngày 30 tháng 11 năm 2026',
      'NGƯỜI LẬP BIỂU',
      'CHỦ TỊCH UBND XÃ',
      SHA,
    ]) {
      expect(body).toContain(text);
    }
    for (const f of FORMULA_TEXTS) expect(texts.some((t) => t.startsWith(`'${f}`))).toBe(true);
  });
});

describe('rendered by LibreOffice', () => {
  it.each([
    ['xlsx', () => xlsx],
    ['docx', () => docx],
  ] as const)(
    '%s becomes a PDF with the criteria and results',
    async (ext, file) => {
      const text = await officeToPdfText(file().bytes, `annex.${ext}`);
      const squashed = text.replace(/\s+/g, ' ');
      for (const t of [
        'Tên chỉ tiêu',
        'Hạ tầng số',
        '14 điểm',
        '25 camera',
        'Đạt',
        'Hoàng Kim, ngày 30 tháng 11 năm 2026',
      ]) {
        expect(squashed).toContain(t);
      }
      expect(squashed).toContain('100% CBCC có máy tính phục vụ công việc');
      expect(squashed).toContain("'=HYPERLINK(");
      expect(squashed).not.toMatch(/á»|áº|Ä‘|\uFFFD/);
    },
    180_000,
  );
});

describe('a report downloads as the same bytes every time', () => {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  it('XLSX and DOCX are byte-identical across builds, dated by the report', async () => {
    for (const build of [buildAnnexXlsx, buildAnnexDocx]) {
      const first = await build(source);
      // Another moment, another build: nothing in the file may come from the clock.
      await new Promise((r) => setTimeout(r, 1100));
      const second = await build(source);
      expect(sha(second.bytes)).toBe(sha(first.bytes));
      const core = await (await JSZip.loadAsync(first.bytes)).file('docProps/core.xml')!.async('string');
      expect(core).toContain('2026-11-30T03:00:00Z');
    }
  });
});
