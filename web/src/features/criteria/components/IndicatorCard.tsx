import type { CriterionResult } from '@commune-hub/protocol';
import { memo } from 'react';
import { useCriteriaI18n } from '../i18n.ts';
import { AssessmentBadge } from './AssessmentBadge.tsx';

interface IndicatorCardProps {
  row: CriterionResult;
  onOpenEvidence: (code: string) => void;
}

/** One measured indicator: the result as the annex writes it (a button to its evidence), target, Đạt. */
export const IndicatorCard = memo(function IndicatorCard({ row, onOpenEvidence }: IndicatorCardProps) {
  const { c } = useCriteriaI18n();
  const m = row.measured;
  return (
    <li className={`indicator indicator-${row.assessment}`} data-testid={`indicator-${row.code}`}>
      <div className="indicator-head">
        <span className="indicator-code">{row.code}</span>
        <AssessmentBadge assessment={row.assessment} />
      </div>
      <h3 className="indicator-name">{row.name_vi}</h3>
      <button
        type="button"
        className="indicator-result"
        data-testid={`result-${row.code}`}
        aria-label={c.openEvidence(row.code)}
        onClick={() => onOpenEvidence(row.code)}
      >
        <span className="indicator-value">{row.result || c.noResult}</span>
        <span className="indicator-more" aria-hidden="true">
          ›
        </span>
      </button>
      <dl className="indicator-facts">
        <div>
          <dt>{c.target}</dt>
          <dd>{row.target}</dd>
        </div>
        {row.liveNow && (
          <div>
            <dt className="sr-only">{c.liveNow(row.liveNow.online, row.liveNow.total)}</dt>
            <dd
              className="indicator-live"
              data-testid={`live-${row.code}`}
              data-online={row.liveNow.online}
              data-total={row.liveNow.total}
            >
              <span className="live-dot" aria-hidden="true" />{' '}
              {c.liveNow(row.liveNow.online, row.liveNow.total)}
            </dd>
          </div>
        )}
        {m && (
          <div>
            <dd className="muted">{c.counted(m.counted, m.selected)}</dd>
          </div>
        )}
      </dl>
      {row.override && (
        // An override never hides the computation: the computed result stays beside it.
        <p className="indicator-override" data-testid={`card-override-${row.code}`}>
          {c.overridden} · {c.computedWas}: <strong>{row.override.computedResult}</strong>{' '}
          <AssessmentBadge assessment={row.override.computedAssessment} />
        </p>
      )}
    </li>
  );
});
