import type { Period, ReportSummary } from '@commune-hub/protocol';
import type { HubClient } from '@commune-hub/protocol/client';
import { useMemo, useState } from 'react';
import { rememberedName, rememberName } from '../api/admin.ts';
import { reportFileUrl, useReports } from '../api/queries.ts';
import { formatVnDateTime } from '../format.ts';
import { errorMessage, useManageI18n } from '../manage-i18n.ts';
import { type PeriodKind, periodContaining } from '../period.ts';

interface ReportsSectionProps {
  setId: string;
  /** The period on screen: what "Nộp báo cáo" submits. */
  period: Period;
  periodKey: string;
  client: HubClient | null;
  onSubmitted: () => void;
}

/** A report's period as the submission takes it: the named period's key, or its bounds. */
function periodInput(p: Period): { period: string } | { from: string; to: string } {
  return p.kind === 'custom'
    ? { from: p.from, to: p.to }
    : { period: periodContaining(p.kind as PeriodKind, Date.parse(p.from)).key };
}

/** The inline confirmation: who submits, an optional note, confirm or cancel. */
function ConfirmBox(props: {
  question: string;
  confirmLabel: string;
  testId: string;
  onConfirm: (by: string, note: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { m } = useManageI18n();
  const [by, setBy] = useState(rememberedName);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="confirm-box"
      role="alertdialog"
      aria-label={props.question}
      data-testid={props.testId}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        props
          .onConfirm(by.trim(), note.trim())
          .then(() => rememberName(by.trim()))
          .catch((err: unknown) => setError(errorMessage(m, err)))
          .finally(() => setBusy(false));
      }}
    >
      <p className="confirm-question">{props.question}</p>
      <label className="field">
        <span>{m.by}</span>
        <input name="by" required autoComplete="name" value={by} onChange={(e) => setBy(e.target.value)} />
      </label>
      <label className="field">
        <span>{m.note}</span>
        <input name="note" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error && (
        <p className="notice notice-error" role="alert" data-testid="report-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy} data-testid={`${props.testId}-ok`}>
          {busy ? m.saving : props.confirmLabel}
        </button>
        <button type="button" className="link-button" onClick={props.onCancel}>
          {m.cancel}
        </button>
      </div>
    </form>
  );
}

/** The hash, short on screen; the whole of it on hover and on copy. */
function HashCell({ sha256 }: { sha256: string }) {
  const { m } = useManageI18n();
  const [copied, setCopied] = useState(false);
  return (
    <span className="hash-cell">
      <code title={sha256} data-testid="report-hash" data-sha256={sha256}>
        {sha256.slice(0, 12)}…
      </code>{' '}
      <button
        type="button"
        className="link-button"
        aria-label={`${m.copy} ${m.hash}`}
        onClick={() => {
          void navigator.clipboard?.writeText(sha256).then(() => setCopied(true));
        }}
      >
        {copied ? m.copied : m.copy}
      </button>
    </span>
  );
}

/**
 * "Nộp báo cáo" for the period on screen (with a confirmation), and the submitted reports: version,
 * SHA-256, who and when, their XLSX/DOCX from the frozen snapshot, and "Lập bản sửa" (a new version
 * referencing the old one).
 */
export function ReportsSection({ setId, period, periodKey, client, onSubmitted }: ReportsSectionProps) {
  const { m, lang } = useManageI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const reports = useReports(setId);
  const [confirming, setConfirming] = useState<'submit' | number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // Newest first: the report the official just submitted or corrected is on top.
  const list = useMemo(() => [...(reports.data ?? [])].sort((a, b) => b.id - a.id), [reports.data]);
  const submittedHere = list.some(
    (r) => r.supersededBy === null && r.period.from === period.from && r.period.to === period.to,
  );

  const submit = async (by: string, note: string, corrects?: ReportSummary) => {
    if (!client) return;
    const report = await client.criteriaReportSubmit({
      body: {
        setId,
        ...(corrects ? periodInput(corrects.period) : { period: periodKey }),
        by,
        ...(note && { note }),
        ...(corrects && { corrects: corrects.id }),
      },
    });
    setConfirming(null);
    setDone(m.submitted(report.version));
    onSubmitted();
  };

  return (
    <section
      className="criteria-section reports-section"
      aria-label={m.reportsTitle}
      data-testid="reports-section"
    >
      <h2 className="section-title">{m.submitTitle}</h2>
      <p className="muted">{m.submitIntro(period.label)}</p>
      {submittedHere ? (
        <p className="notice" data-testid="already-submitted">
          {m.alreadySubmitted}
        </p>
      ) : confirming === 'submit' ? (
        <ConfirmBox
          question={m.submitConfirm(period.label)}
          confirmLabel={m.confirm}
          testId="confirm-submit"
          onConfirm={(by, note) => submit(by, note)}
          onCancel={() => setConfirming(null)}
        />
      ) : (
        <button
          type="button"
          className="primary-button"
          disabled={!client}
          onClick={() => {
            setDone(null);
            setConfirming('submit');
          }}
          data-testid="submit-report"
        >
          {m.submit}
        </button>
      )}
      {done && (
        <p className="notice notice-ok" role="status" data-testid="report-done">
          {done}
        </p>
      )}

      <h2 className="section-title">{m.reportsTitle}</h2>
      {reports.isSuccess && list.length === 0 && <p className="muted">{m.reportsEmpty}</p>}
      {list.length > 0 && (
        <ul className="report-list" data-testid="report-list">
          {list.map((r) => (
            <li key={r.id} className="report-item" data-testid={`report-${r.id}`}>
              <div className="report-head">
                <strong>
                  #{r.id} · {r.period.label}
                </strong>
                <span>
                  {m.version} {r.version}
                </span>
                {r.supersedes !== null && <span className="muted">{m.supersedes(r.supersedes)}</span>}
                {r.supersededBy !== null && <span className="muted">{m.superseded(r.supersededBy)}</span>}
              </div>
              <div>
                {m.hash}: <HashCell sha256={r.sha256} />
              </div>
              <div className="muted">
                {m.submittedBy}: {r.submittedBy} · {formatVnDateTime(locale, r.submittedAt)}
              </div>
              <div className="report-actions">
                <a
                  className="download"
                  href={reportFileUrl(r.id, 'xlsx')}
                  download
                  data-testid={`report-xlsx-${r.id}`}
                >
                  ⬇ XLSX
                </a>
                <a
                  className="download"
                  href={reportFileUrl(r.id, 'docx')}
                  download
                  data-testid={`report-docx-${r.id}`}
                >
                  ⬇ DOCX
                </a>
                {r.supersededBy === null && confirming !== r.id && (
                  <button
                    type="button"
                    className="secondary-button"
                    disabled={!client}
                    onClick={() => {
                      setDone(null);
                      setConfirming(r.id);
                    }}
                    data-testid={`correct-${r.id}`}
                  >
                    {m.correct}
                  </button>
                )}
              </div>
              {confirming === r.id && (
                <ConfirmBox
                  question={m.correctConfirm(r.period.label, r.version)}
                  confirmLabel={m.confirmCorrect}
                  testId={`confirm-correct-${r.id}`}
                  onConfirm={(by, note) => submit(by, note, r)}
                  onCancel={() => setConfirming(null)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
