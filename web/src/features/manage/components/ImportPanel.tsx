import type { ImportReport } from '@commune-hub/protocol';
import { useState } from 'react';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useManageWords } from '../../../i18n/manage.ts';
import { MANAGE_ERROR_WORDS } from '../../../i18n/manage-errors.ts';
import { useImport } from '../api/queries.ts';
import { importRows } from '../importRows.ts';
import { CopyButton } from './CopyButton.tsx';
import { ErrorNotice } from './fields.tsx';

/** The secrets of an import, as CSV to keep (shown once, like a single device's). */
const secretsCsv = (report: ImportReport) =>
  `id,secret\n${report.created.map((c) => `${c.id},${c.secret}`).join('\n')}\n`;

/**
 * Import the commune's equipment list (CSV): a dry run first, shown row by row with each row's problems in
 * the official's words; the real import is offered only when every row is good (the hub imports all or nothing).
 */
export function ImportPanel() {
  const { lang } = useI18n();
  const w = useManageWords().import;
  const [csv, setCsv] = useState('');
  const [checked, setChecked] = useState<{ csv: string; report: ImportReport } | null>(null);
  const run = useImport();
  const report = run.data;
  const view = checked ? importRows(checked.csv, checked.report, MANAGE_ERROR_WORDS[lang]) : null;
  const ok = checked !== null && checked.csv === csv && checked.report.errors.length === 0;

  const submit = (dryRun: boolean) =>
    run.mutate(
      { csv, dryRun },
      { onSuccess: (r) => (r.dryRun ? setChecked({ csv, report: r }) : setChecked(null)) },
    );

  return (
    <section className="mg-section" aria-labelledby="mg-import-title">
      <h3 id="mg-import-title">{w.title}</h3>
      <p className="mg-muted">{w.intro}</p>
      <label>
        {w.file}
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
        {w.paste}
        <textarea
          name="csv"
          rows={6}
          value={csv}
          placeholder={w.example}
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
          {w.dryRun}
        </button>
        <button
          type="button"
          disabled={!ok || run.isPending}
          onClick={() => submit(false)}
          data-testid="import-commit"
        >
          {ok ? w.commitCount(checked.report.rows) : w.commit}
        </button>
      </div>
      <ErrorNotice error={run.error} />
      {view && checked && (
        <div data-testid="import-report">
          <p className={checked.report.errors.length ? 'notice notice-error' : 'notice'} role="status">
            {checked.report.errors.length === 0
              ? w.allGood(checked.report.rows)
              : w.someBad(new Set(checked.report.errors.map((e) => e.line)).size, checked.report.rows)}
          </p>
          {view.general.map((g) => (
            <p key={g} className="notice notice-error">
              {g}
            </p>
          ))}
          <table className="mg-import-table">
            <thead>
              <tr>
                <th scope="col">{w.line}</th>
                <th scope="col">{w.id}</th>
                <th scope="col">{w.result}</th>
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
                  <td>{r.errors.length ? r.errors.join('; ') : w.rowOk}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report && !report.dryRun && report.created.length > 0 && (
        <div className="mg-secret" data-testid="import-done">
          <p role="status">{w.done(report.created.length)}</p>
          <pre className="mg-secrets-csv">{secretsCsv(report)}</pre>
          <CopyButton text={secretsCsv(report)} label={w.copySecrets} />
        </div>
      )}
    </section>
  );
}
