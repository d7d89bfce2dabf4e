import type { StartedHub } from '@commune-hub/hub';
import { type CriteriaReport, EXPORT_CONTENT_TYPES } from '@commune-hub/protocol';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, startTestHub } from '../support/hub.ts';

// The annex files as the dashboard downloads them: from a real hub, for a live period and for a
// submitted report, with formula-looking manual evidence entered over the API.
const SET = 'thanh-hoa-1829-2023';
const EVIL = '=HYPERLINK("http://evil.example","Bấm vào đây")';

describe('criteria exports over HTTP', () => {
  let hub: StartedHub;
  let report: CriteriaReport;

  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${hub.httpUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.adminToken}` },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  beforeAll(async () => {
    hub = await startTestHub();
    await send('POST', '/api/communes', { id: 'hoang-kim', name: 'Xã Hoàng Kim', province: 'Thanh Hóa' });
    await send('POST', '/api/villages', { id: 'thon-1', name: 'Thôn 1', communeId: 'hoang-kim' });
    await send('POST', '/api/sites', {
      id: 'nvh-1',
      name: 'Nhà văn hóa thôn 1',
      villageId: 'thon-1',
      locationType: 'cultural_house',
    });
    await send('POST', '/api/devices', {
      id: 'wifi-1',
      kind: 'wifi',
      name: 'Wifi NVH 1',
      village: 'Thôn 1',
      site: 'nvh-1',
    });
    for (const [target, text] of [
      ['4.1', EVIL],
      ['2.1', '+cmd|/c calc'],
    ] as const) {
      await send('POST', `/api/criteria-sets/${SET}/manual-inputs`, {
        type: 'value',
        target,
        value: 100,
        evidence: { text },
        by: 'Nguyễn Thị Hằng',
      });
    }
    report = (await send('POST', '/api/criteria-reports', {
      setId: SET,
      by: 'Nguyễn Thị Hằng',
    })) as CriteriaReport;
  });

  afterAll(async () => {
    await hub?.close();
  });

  const get = (path: string) => fetch(`${hub.httpUrl}${path}`, { headers: authHeaders(hub) });

  async function annexRows(bytes: ArrayBuffer): Promise<unknown[][]> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes);
    const rows: unknown[][] = [];
    wb.getWorksheet('Phụ lục')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  }

  it('serves the live evaluation as XLSX with a Vietnamese file name and formulas kept as text', async () => {
    const res = await get(`/api/criteria-sets/${SET}/evaluation.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(EXPORT_CONTENT_TYPES.xlsx);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(
      /^attachment; filename="Phu luc chi tieu Hoang Kim - Thang \d+-\d{4} - xem truoc\.xlsx"; /,
    );
    expect(disposition).toContain(
      "filename*=UTF-8''Ph%E1%BB%A5%20l%E1%BB%A5c%20ch%E1%BB%89%20ti%C3%AAu%20Ho%C3%A0ng%20Kim",
    );
    const rows = await annexRows(await res.arrayBuffer());
    expect(rows.find((r) => r[0] === 'STT')).toEqual([
      'STT',
      'Tên chỉ tiêu',
      'Đơn vị tính',
      'Chỉ tiêu',
      'Kết quả',
      'Đánh giá',
      'Tài liệu minh chứng',
      'Ghi chú',
    ]);
    const row41 = rows.find((r) => r[0] === '4.1')!;
    expect(row41[4]).toBe('100%');
    expect(String(row41[6]).startsWith(`'${EVIL}`)).toBe(true);
    expect(rows.find((r) => r[0] === '2.1')![6]).toBe("'+cmd|/c calc");
    expect(rows.flat().join('\n')).toContain('Bản xem trước, chưa nộp');
  });

  it('serves the live evaluation as DOCX', async () => {
    const res = await get(`/api/criteria-sets/${SET}/evaluation.docx?period=2026-Q4`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(EXPORT_CONTENT_TYPES.docx);
    expect(res.headers.get('content-disposition')).toContain('Qu%C3%BD%20IV-2026');
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('Tài liệu minh chứng');
    expect(xml).toContain('Kỳ đánh giá: Quý IV/2026');
  });

  it('exports a submitted report with its SHA-256, in both formats', async () => {
    const xlsx = await get(`/api/criteria-reports/${report.id}.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(`b%C3%A1o%20c%C3%A1o%20${report.id}%20v1.xlsx`);
    expect((await annexRows(await xlsx.arrayBuffer())).flat().join('\n')).toContain(
      `Mã kiểm tra SHA-256: ${report.sha256}`,
    );
    const docx = await get(`/api/criteria-reports/${report.id}.docx`);
    expect(docx.status).toBe(200);
    const zip = await JSZip.loadAsync(await docx.arrayBuffer());
    expect(await zip.file('word/document.xml')!.async('string')).toContain(report.sha256);
  });

  it("renders a report's files the same after its devices are renamed and moved", async () => {
    async function allCells(): Promise<string> {
      const res = await get(`/api/criteria-reports/${report.id}.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      return wb.worksheets
        .map((ws) => {
          const lines: string[] = [ws.name];
          ws.eachRow((row) => lines.push(JSON.stringify(row.values)));
          return lines.join('\n');
        })
        .join('\n');
    }
    const before = await allCells();
    expect(before).toContain('Wifi NVH 1');
    await send('PATCH', '/api/devices/wifi-1', { name: 'Wifi đã đổi tên' });
    await send('PATCH', '/api/villages/thon-1', { name: 'Thôn Mới' });
    const after = await allCells();
    expect(after).toBe(before);
    // The live evaluation does follow the rename.
    const live = await get(`/api/criteria-sets/${SET}/evaluation.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await live.arrayBuffer());
    const sheet: string[] = [];
    wb.getWorksheet('Minh chứng 4.5')!.eachRow((row) => sheet.push(JSON.stringify(row.values)));
    expect(sheet.join('\n')).toContain('Wifi đã đổi tên');
  });

  it('refuses bad input with the hub error codes', async () => {
    const bad = await get(`/api/criteria-sets/${SET}/evaluation.xlsx?from=2026-02-01&to=2026-01-01`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('HUB_ERR_BAD_TIME_RANGE');
    const unknownSet = await get('/api/criteria-sets/khong-co/evaluation.docx');
    expect(unknownSet.status).toBe(404);
    const unknownReport = await get('/api/criteria-reports/9999.xlsx');
    expect(unknownReport.status).toBe(404);
    expect(((await unknownReport.json()) as { code: string }).code).toBe('HUB_ERR_NOT_FOUND');
  });
});
