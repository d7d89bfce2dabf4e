import type { ImportReport } from '@commune-hub/protocol';
import { useState } from 'react';
import { useImport } from '../api/queries.ts';
import { hubErrorText } from '../errors.ts';
import { importRows } from '../importRows.ts';
import { CopyButton } from './CopyButton.tsx';

const EXAMPLE = 'id,kind,name,village\nhk-wifi-15,wifi,Wifi nhà văn hoá thôn 3,Thôn 3\n';

/** The secrets of an import, as CSV to keep (shown once, like a single device's). */
const secretsCsv = (report: ImportReport) =>
  `id,secret\n${report.created.map((c) => `${c.id},${c.secret}`).join('\n')}\n`;

/**
 * Import the commune's equipment list (CSV): a dry run first, shown row by row with each row's problems in
 * Vietnamese; the real import is offered only when every row is good (the hub imports all or nothing).
 */
export function ImportPanel() {
  const [csv, setCsv] = useState('');
  const [checked, setChecked] = useState<{ csv: string; report: ImportReport } | null>(null);
  const run = useImport();
  const report = run.data;
  const view = checked ? importRows(checked.csv, checked.report) : null;
  const ok = checked !== null && checked.csv === csv && checked.report.errors.length === 0;

  const submit = (dryRun: boolean) =>
    run.mutate(
      { csv, dryRun },
      { onSuccess: (r) => (r.dryRun ? setChecked({ csv, report: r }) : setChecked(null)) },
    );

  return (
    <section className="mg-section" aria-labelledby="mg-import-title">
      <h3 id="mg-import-title">Nhập danh sách thiết bị từ tệp CSV</h3>
      <p className="mg-muted">
        Lưu bảng tính thành CSV (UTF-8). Cột bắt buộc: mã, loại, tên, thôn (dòng đầu: id,kind,name,village).
        Chạy thử trước: không có gì được ghi cho đến khi mọi dòng đều đúng.
      </p>
      <label>
        Chọn tệp
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="import-file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) setCsv(await file.text());
          }}
        />
      </label>
      <label>
        Hoặc dán nội dung
        <textarea
          name="csv"
          rows={6}
          value={csv}
          placeholder={EXAMPLE}
          spellCheck={false}
          onChange={(e) => setCsv(e.target.value)}
          data-testid="import-text"
        />
      </label>
      <div className="mg-actions">
        <button
          type="button"
          disabled={!csv.trim() || run.isPending}
          onClick={() => submit(true)}
          data-testid="import-dry-run"
        >
          Chạy thử (kiểm tra)
        </button>
        <button
          type="button"
          disabled={!ok || run.isPending}
          onClick={() => submit(false)}
          data-testid="import-commit"
        >
          Nhập {ok ? `${checked.report.rows.toLocaleString('vi-VN')} thiết bị` : ''}
        </button>
      </div>
      {run.isError && (
        <p className="notice notice-error" role="alert" data-testid="manage-error">
          {hubErrorText(run.error)}
        </p>
      )}
      {view && checked && (
        <div data-testid="import-report">
          <p className={checked.report.errors.length ? 'notice notice-error' : 'notice'} role="status">
            {checked.report.errors.length === 0
              ? `Chạy thử: cả ${checked.report.rows.toLocaleString('vi-VN')} dòng đều đúng. Bấm "Nhập" để ghi.`
              : `Chạy thử: ${new Set(checked.report.errors.map((e) => e.line)).size.toLocaleString('vi-VN')} / ${checked.report.rows.toLocaleString('vi-VN')} dòng có lỗi. Sửa tệp rồi chạy thử lại.`}
          </p>
          {view.general.map((g) => (
            <p key={g} className="notice notice-error">
              {g}
            </p>
          ))}
          <table className="mg-import-table">
            <thead>
              <tr>
                <th scope="col">Dòng</th>
                <th scope="col">Mã thiết bị</th>
                <th scope="col">Kết quả</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr
                  key={r.line}
                  className={r.errors.length ? 'mg-row-bad' : 'mg-row-ok'}
                  data-testid="import-row"
                >
                  <td>{r.line}</td>
                  <td>{r.id || '—'}</td>
                  <td>{r.errors.length ? r.errors.join('; ') : 'Đúng'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report && !report.dryRun && report.created.length > 0 && (
        <div className="mg-secret" data-testid="import-done">
          <p role="status">
            Đã nhập {report.created.length.toLocaleString('vi-VN')} thiết bị. Khoá bí mật chỉ hiện một lần:
            sao chép và cất giữ ngay.
          </p>
          <pre className="mg-secrets-csv">{secretsCsv(report)}</pre>
          <CopyButton text={secretsCsv(report)} label="Sao chép danh sách khoá" />
        </div>
      )}
    </section>
  );
}
