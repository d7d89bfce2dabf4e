import type {
  CoverageUnitEvidence,
  CriterionResult,
  Evaluation,
  EvidenceDevice,
  ManualEntry,
  ReportSummary,
} from '@commune-hub/protocol';
import { ENTRY_TYPE_LABELS_VI, KIND_LABELS_VI, LOCATION_TYPE_LABELS_VI } from './labels.ts';
import { neutralizeFormula, placeAndDate, placeName, vnDate, vnDateTime, vnNumber } from './text.ts';

/**
 * What an annex export shows, independent of the file format: the XLSX and DOCX builders only lay this
 * out. Every string that may come from user text (names, evidence, notes, manual results) passes
 * through neutralizeFormula here, once, so no builder can forget it.
 */

/** The annex's columns, in the order the provincial template prints them. */
export const ANNEX_HEADERS = [
  'STT',
  'Tên chỉ tiêu',
  'Đơn vị tính',
  'Chỉ tiêu',
  'Kết quả',
  'Đánh giá',
  'Tài liệu minh chứng',
  'Ghi chú',
] as const;

export const EVIDENCE_HEADERS = [
  'STT',
  'Mã thiết bị',
  'Tên thiết bị',
  'Loại thiết bị',
  'Thôn',
  'Xã cũ (trước sáp nhập)',
  'Điểm lắp đặt',
  'Loại vị trí',
  'Tỷ lệ hoạt động trong kỳ (%)',
  'Lần đầu có tín hiệu',
  'Lần cuối có tín hiệu',
  'Được tính',
  'Lý do không tính',
] as const;

export const COVERAGE_HEADERS = ['STT', 'Đơn vị', 'Xã cũ', 'Đủ thiết bị', 'Thiết bị được tính'] as const;

export const MANUAL_HEADERS = [
  'Chỉ tiêu / số liệu',
  'Loại',
  'Giá trị',
  'Minh chứng',
  'Số, ngày văn bản',
  'Đường dẫn',
  'Lý do',
  'Người nhập',
  'Thời điểm nhập',
  'Trạng thái',
] as const;

/** An export of a live evaluation, or of a submitted (frozen) report. */
export interface AnnexSource {
  evaluation: Evaluation;
  /** Set for a submitted report: its hash goes on every page and sheet. */
  report?: Pick<
    ReportSummary,
    'id' | 'version' | 'supersedes' | 'submittedAt' | 'submittedBy' | 'sha256'
  > | null;
}

export interface AnnexRow {
  /** A group heading ("4 Hạ tầng số") rather than a criterion. */
  group: boolean;
  code: string;
  cells: string[];
  assessment: CriterionResult['assessment'] | null;
}

export interface EvidenceDeviceRow {
  cells: (string | number | null)[];
  counted: boolean;
}

export interface EvidenceSheet {
  code: string;
  sheetName: string;
  title: string;
  lines: string[];
  devices: EvidenceDeviceRow[];
  coverage: string[][];
}

export interface AnnexModel {
  authority: string[];
  nation: string[];
  title: string;
  setLine: string;
  communeLine: string;
  periodLine: string;
  /** Report number, version and SHA-256; or that this is an unsubmitted preview. */
  statusLines: string[];
  rows: AnnexRow[];
  summaryLine: string;
  placeDate: string;
  signers: { title: string; subtitle: string; name: string }[];
  evidence: EvidenceSheet[];
  manual: string[][];
  /** The download's name without extension, in Vietnamese (sent with an ASCII fallback, RFC 5987). */
  fileBase: string;
  /** The instant the document speaks for (submission, or evaluation), for file metadata. */
  at: number;
}

const txt = (s: string | null | undefined) => neutralizeFormula(s ?? '');

function deviceRow(d: EvidenceDevice, index: number): EvidenceDeviceRow {
  return {
    counted: d.counted,
    cells: [
      index + 1,
      txt(d.id),
      txt(d.name),
      KIND_LABELS_VI[d.kind] ?? d.kind,
      txt(d.village),
      txt(d.formerCommune),
      txt(d.site),
      d.locationType ? LOCATION_TYPE_LABELS_VI[d.locationType] : 'Chưa gán điểm',
      d.uptimePercent === null ? null : Math.round(d.uptimePercent * 10) / 10,
      vnDateTime(d.firstSeen ? Date.parse(d.firstSeen) : null),
      vnDateTime(d.lastSeen ? Date.parse(d.lastSeen) : null),
      d.counted ? 'Có' : 'Không',
      d.counted ? '' : txt(d.reasonLabel),
    ],
  };
}

function coverageRow(u: CoverageUnitEvidence, index: number): string[] {
  return [
    String(index + 1),
    txt(u.name),
    txt(u.formerCommune),
    u.covered ? 'Có' : 'Không',
    u.devices.map(txt).join(', '),
  ];
}

function measuredLines(row: CriterionResult): string[] {
  const m = row.measured;
  const lines = [
    `Kết quả: ${txt(row.result) || '(chưa có)'} — ${row.assessmentLabel}; nguồn: ${row.sourceLabel}.`,
  ];
  if (m) {
    lines.push(
      `Thiết bị được xét: ${m.selected}; được tính: ${m.counted}; không tính: ${m.selected - m.counted}.`,
    );
    if (m.minUptimePercent !== null)
      lines.push(
        `Điều kiện được tính: hoạt động tối thiểu ${vnNumber(m.minUptimePercent)}% thời gian trong kỳ.`,
      );
    if (m.measure === 'ratio' && m.denominator !== null)
      lines.push(`Tỷ lệ: ${m.numerator} / ${vnNumber(m.denominator)} (mẫu số nhập tay).`);
    if (m.measure === 'coverage' && m.denominator !== null)
      lines.push(`Đơn vị đủ thiết bị: ${m.numerator} / ${m.denominator}.`);
  }
  if (row.override) {
    lines.push(
      `Kết quả tự động ${txt(row.override.computedResult)} đã được thay bằng kết quả nhập tay (${txt(row.override.entry.by)}).`,
    );
  }
  return lines;
}

function manualRows(rows: readonly CriterionResult[]): string[][] {
  const seen = new Set<number>();
  const out: string[][] = [];
  const add = (code: string, e: ManualEntry | null | undefined) => {
    if (!e || seen.has(e.id)) return;
    seen.add(e.id);
    const doc = [e.evidence.docNumber, e.evidence.docDate ? vnDate(Date.parse(e.evidence.docDate)) : '']
      .filter(Boolean)
      .join(', ');
    out.push([
      e.type === 'input' ? txt(e.target) : `${code}`,
      ENTRY_TYPE_LABELS_VI[e.type],
      txt(typeof e.value === 'boolean' ? (e.value ? 'Có' : 'Không') : String(e.value)),
      txt(e.evidence.text),
      txt(doc),
      txt(e.evidence.link),
      txt(e.reason),
      txt(e.by),
      vnDateTime(Date.parse(e.at)),
      e.withdrawnAt ? `Đã rút (${txt(e.withdrawnBy)})` : 'Đang áp dụng',
    ]);
  };
  for (const row of rows) {
    add(row.code, row.manual);
    for (const input of row.inputs) add(row.code, input);
    add(row.code, row.override?.entry);
  }
  return out;
}

/** "Minh chứng 4.5", as the evaluator's evidence text names it. Sheet names: ≤ 31 characters, none of []:*?/\ . */
const sheetName = (code: string) => `Minh chứng ${code}`.replace(/[[\]:*?/\\]/g, '-').slice(0, 31);

export function buildAnnexModel(source: AnnexSource): AnnexModel {
  const { evaluation: ev, report } = source;
  const commune = ev.commune;
  const communeName = commune ? txt(commune.name) : '';
  const place = communeName ? placeName(communeName) : '……';
  const at = report ? Date.parse(report.submittedAt) : Date.parse(ev.evaluatedAt);

  const rows: AnnexRow[] = [];
  let group: string | null = null;
  for (const row of ev.rows) {
    if (row.group !== group) {
      group = row.group;
      rows.push({
        group: true,
        code: row.group,
        cells: [row.group, txt(row.groupName), '', '', '', '', '', ''],
        assessment: null,
      });
    }
    rows.push({
      group: false,
      code: row.code,
      assessment: row.assessment,
      cells: [
        row.code,
        txt(row.name_vi),
        txt(row.unit),
        txt(row.target),
        txt(row.result),
        row.assessmentLabel,
        txt(row.evidenceText),
        txt(row.note),
      ],
    });
  }

  const evidence: EvidenceSheet[] = ev.rows
    .filter((r) => r.measured !== null || r.evidence.counted.length + r.evidence.notCounted.length > 0)
    .map((r) => ({
      code: r.code,
      sheetName: sheetName(r.code),
      title: `Minh chứng chỉ tiêu ${r.code}: ${txt(r.name_vi)}`,
      lines: measuredLines(r),
      devices: [...r.evidence.counted, ...r.evidence.notCounted].map(deviceRow),
      coverage: r.evidence.coverage.map(coverageRow),
    }));

  const s = ev.summary;
  const points = s.points ? `; điểm: ${vnNumber(s.points.scored)}/${vnNumber(s.points.max)}` : '';
  const statusLines = report
    ? [
        `Báo cáo đã nộp số ${report.id}, phiên bản ${report.version}${report.supersedes ? ` (đính chính báo cáo số ${report.supersedes})` : ''}; nộp lúc ${vnDateTime(Date.parse(report.submittedAt))} bởi ${txt(report.submittedBy)}.`,
        `Mã kiểm tra SHA-256: ${report.sha256}`,
      ]
    : [`Bản xem trước, chưa nộp: số liệu tính lúc ${vnDateTime(Date.parse(ev.evaluatedAt))}.`];

  return {
    authority: [
      commune ? `UBND ${communeName.toUpperCase()}` : 'UBND XÃ ……',
      commune?.province
        ? `TỈNH ${txt(commune.province)
            .replace(/^tỉnh\s+/iu, '')
            .toUpperCase()}`
        : '',
    ].filter(Boolean),
    nation: ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'],
    title: 'PHỤ LỤC: KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU',
    setLine: `${txt(ev.setName)} (${txt(ev.decision)}, phiên bản ${ev.setVersion})`,
    communeLine: commune
      ? `Đơn vị: ${communeName}, ${txt(commune.province)}${commune.formerCommunes.length > 0 ? ` (gồm ${commune.formerCommunes.map((f) => txt(f.name)).join(', ')})` : ''}`
      : 'Đơn vị: (chưa khai báo xã)',
    periodLine: `Kỳ đánh giá: ${ev.period.label} (từ ${vnDate(Date.parse(ev.period.from))} đến ${vnDate(Date.parse(ev.period.to) - 1)})`,
    statusLines,
    rows,
    summaryLine: `Tổng hợp: ${s.dat} chỉ tiêu Đạt, ${s.khong_dat} Không đạt, ${s.chua_danh_gia} chưa đánh giá${points}.`,
    placeDate: placeAndDate(place, at),
    signers: [
      {
        title: 'NGƯỜI LẬP BIỂU',
        subtitle: '(Ký, ghi rõ họ tên)',
        name: report ? txt(report.submittedBy) : '',
      },
      { title: 'CHỦ TỊCH UBND XÃ', subtitle: '(Ký tên, đóng dấu)', name: '' },
    ],
    evidence,
    manual: manualRows(ev.rows),
    fileBase: [
      `Phụ lục chỉ tiêu ${place}`,
      ev.period.label.replace(/[/\\:*?"<>|]/g, '-'),
      report ? `báo cáo ${report.id} v${report.version}` : 'xem trước',
    ]
      .join(' - ')
      .replace(/\p{Cc}/gu, ''),
    at,
  };
}
