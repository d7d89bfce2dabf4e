import type { CriteriaSetSummary, CriterionResult } from '@commune-hub/protocol';
import { useCallback, useMemo } from 'react';
import { exportUrl, useBreakdown, useCriteriaSets, useEvaluation, useTrend } from '../api/queries.ts';
import { useLiveCriteria } from '../api/useLiveCriteria.ts';
import { useCriteriaI18n } from '../i18n.ts';
import {
  PERIOD_KINDS,
  type PeriodKind,
  parsePeriodKey,
  periodContaining,
  periodLabel,
  shiftPeriod,
} from '../period.ts';
import { useSearchParam } from '../urlState.ts';
import { AssessmentBadge } from './AssessmentBadge.tsx';
import { BreakdownTable } from './BreakdownTable.tsx';
import { EvidencePanel, type EvidenceTab } from './EvidencePanel.tsx';
import { IndicatorCard } from './IndicatorCard.tsx';
import { ManagePanel } from './ManagePanel.tsx';
import { TrendChart } from './TrendChart.tsx';
import './criteria.css';
import './manage.css';

const NO_ROWS: CriterionResult[] = [];

/** A provincial set first (the annex the commune fills), else the first loaded. */
function defaultSet(sets: readonly CriteriaSetSummary[]): string | null {
  return (sets.find((s) => s.province) ?? sets[0])?.id ?? null;
}

/** Device-measured rows get a card; a partial rule with no device behind it stays in the table. */
const isIndicator = (r: CriterionResult) =>
  r.measured !== null && (r.source !== 'partial' || r.measured.selected > 0);

/**
 * "Chỉ tiêu hạ tầng số": the period's indicators, live, each number opening its evidence; a year's trend,
 * the breakdown by village and former commune, and the annex files. View state lives in the URL.
 */
export function CriteriaPage() {
  const { c, lang } = useCriteriaI18n();
  useLiveCriteria();
  const sets = useCriteriaSets();
  const [setParam, setSet] = useSearchParam('set');
  const [kindParam, setKind] = useSearchParam('kind');
  const [periodParam, setPeriod] = useSearchParam('period');
  const [evidenceCode, setEvidence] = useSearchParam('evidence');
  const [tabParam, setTab] = useSearchParam('tab');
  const [trendParam, setTrendCode] = useSearchParam('trend');
  const [byParam, setBy] = useSearchParam('by');

  const setId = setParam ?? defaultSet(sets.data ?? []);
  const parsed = periodParam ? parsePeriodKey(periodParam) : null;
  const kind: PeriodKind =
    parsed?.kind ?? (PERIOD_KINDS.includes(kindParam as PeriodKind) ? (kindParam as PeriodKind) : 'month');
  // The current period is computed once per render; a page left open over midnight keeps its period.
  const period = parsed ?? periodContaining(kind, Date.now());
  const current = periodContaining(kind, Date.now());
  const by = byParam === 'formerCommune' ? 'formerCommune' : 'village';

  const evaluation = useEvaluation(setId, period.key);
  const trend = useTrend(setId);
  const breakdown = useBreakdown(setId, period.key, by);
  const rows = evaluation.data?.rows ?? NO_ROWS;
  // Rows measured by a rule first (the infrastructure indicators), then partial rows with their devices.
  const indicators = useMemo(() => {
    const rank = (r: CriterionResult) => (r.source === 'rule' || r.source === 'override' ? 0 : 1);
    return rows.filter(isIndicator).sort((a, b) => rank(a) - rank(b));
  }, [rows]);
  const others = useMemo(() => rows.filter((r) => !isIndicator(r)), [rows]);
  const evidenceRow = evidenceCode ? rows.find((r) => r.code === evidenceCode) : undefined;
  const trendCode =
    trendParam ?? indicators.find((r) => r.measured?.measure === 'count')?.code ?? indicators[0]?.code ?? '';

  const openEvidence = useCallback((code: string) => setEvidence(code, true), [setEvidence]);
  const closeEvidence = useCallback(() => {
    setEvidence(null);
    setTab(null);
  }, [setEvidence, setTab]);

  const ev = evaluation.data;
  return (
    <main className="content criteria-page" data-testid="criteria-page">
      <div className="criteria-title">
        <h2>{c.title}</h2>
        {ev?.commune && (
          <p className="muted">
            {ev.commune.name}, {ev.commune.province}
          </p>
        )}
      </div>

      <div className="criteria-controls">
        <label className="field">
          <span>{c.set}</span>
          <select value={setId ?? ''} onChange={(e) => setSet(e.target.value)} data-testid="set-picker">
            {(sets.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.decision})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{c.periodKind}</span>
          <select
            value={kind}
            data-testid="period-kind"
            onChange={(e) => {
              setKind(e.target.value);
              setPeriod(null);
            }}
          >
            {PERIOD_KINDS.map((k) => (
              <option key={k} value={k}>
                {c.periodKinds[k]}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="period-stepper" aria-label={c.periodKind}>
          <button
            type="button"
            onClick={() => setPeriod(shiftPeriod(period, -1).key)}
            aria-label={c.previous}
          >
            ‹
          </button>
          <span className="period-label" data-testid="period-label">
            {periodLabel(period, lang)}
          </span>
          <button
            type="button"
            onClick={() => setPeriod(shiftPeriod(period, 1).key)}
            aria-label={c.next}
            disabled={period.from >= current.from}
          >
            ›
          </button>
        </fieldset>
        {setId && (
          <fieldset className="downloads" aria-label={c.download}>
            <a
              className="download"
              href={exportUrl(setId, period.key, 'xlsx')}
              download
              data-testid="download-xlsx"
            >
              ⬇ {c.downloadXlsx}
            </a>
            <a
              className="download"
              href={exportUrl(setId, period.key, 'docx')}
              download
              data-testid="download-docx"
            >
              ⬇ {c.downloadDocx}
            </a>
          </fieldset>
        )}
      </div>

      {sets.isSuccess && sets.data.length === 0 && <p className="notice">{c.noSets}</p>}
      {evaluation.isPending && setId && <p className="notice">{c.loading}</p>}
      {evaluation.isError && (
        <p className="notice notice-error">
          {c.loadError}: {evaluation.error.message}
        </p>
      )}

      {ev && (
        <>
          <p className="criteria-summary" data-testid="criteria-summary">
            {ev.period.label} · {c.summary(ev.summary.dat, ev.summary.khong_dat, ev.summary.chua_danh_gia)}
          </p>
          <section className="criteria-section" aria-label={c.measured}>
            <h2 className="section-title">{c.measured}</h2>
            <ul className="indicator-grid">
              {indicators.map((row) => (
                <IndicatorCard key={row.code} row={row} onOpenEvidence={openEvidence} />
              ))}
            </ul>
          </section>
          <TrendChart trend={trend.data} rows={indicators} code={trendCode} onCode={setTrendCode} />
          <BreakdownTable breakdown={breakdown.data} rows={indicators} by={by} onBy={setBy} />
          {others.length > 0 && (
            <details className="criteria-section other-rows">
              <summary>
                {c.otherRows} ({others.length})
              </summary>
              <div className="table-scroll">
                <table className="criteria-table">
                  <thead>
                    <tr>
                      <th scope="col">STT</th>
                      <th scope="col">{c.target}</th>
                      <th scope="col">{c.result}</th>
                      <th scope="col">{c.assessment}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {others.map((r) => (
                      <tr key={r.code}>
                        <th scope="row">
                          {r.code} <span className="row-name">{r.name_vi}</span>
                        </th>
                        <td>{r.target}</td>
                        <td>{r.result || '—'}</td>
                        <td>
                          <AssessmentBadge assessment={r.assessment} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          )}
          {setId && <ManagePanel setId={setId} period={ev.period} periodKey={period.key} rows={rows} />}
        </>
      )}
      {evidenceRow && (
        <EvidencePanel
          row={evidenceRow}
          tab={
            (tabParam as EvidenceTab | null) ??
            (evidenceRow.evidence.counted.length === 0 ? 'notCounted' : 'counted')
          }
          onTab={(tab) => setTab(tab)}
          onClose={closeEvidence}
        />
      )}
    </main>
  );
}
