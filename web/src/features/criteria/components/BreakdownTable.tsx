import type { Breakdown, CriterionResult } from '@commune-hub/protocol';
import { useCriteriaI18n } from '../i18n.ts';

interface BreakdownTableProps {
  breakdown: Breakdown | undefined;
  rows: readonly CriterionResult[];
  by: 'village' | 'formerCommune';
  onBy: (by: 'village' | 'formerCommune') => void;
}

/** The measured indicators per village or per former commune (a merged commune reports both ways). */
export function BreakdownTable({ breakdown, rows, by, onBy }: BreakdownTableProps) {
  const { c } = useCriteriaI18n();
  // Only the rows some area has a result for (a partial row's value is entered for the whole commune).
  const codes = rows
    .map((r) => r.code)
    .filter((code) => breakdown?.units.some((u) => u.cells.some((x) => x.code === code && x.result !== '')));
  return (
    <section className="criteria-section breakdown" aria-label={c.breakdown.title}>
      <div className="section-head">
        <h2>{c.breakdown.title}</h2>
        <fieldset className="segmented" aria-label={c.breakdown.title}>
          {(['village', 'formerCommune'] as const).map((key) => (
            <button
              key={key}
              type="button"
              aria-pressed={by === key}
              data-testid={`breakdown-${key}`}
              onClick={() => onBy(key)}
            >
              {key === 'village' ? c.breakdown.byVillage : c.breakdown.byFormerCommune}
            </button>
          ))}
        </fieldset>
      </div>
      {!breakdown || breakdown.units.length === 0 ? (
        <p className="muted">{breakdown ? c.breakdown.empty : c.loading}</p>
      ) : (
        <div className="table-scroll">
          <table className="criteria-table" data-testid="breakdown-table">
            <thead>
              <tr>
                <th scope="col">{c.breakdown.unit}</th>
                {codes.map((code) => (
                  <th key={code} scope="col">
                    {code}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {breakdown.units.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    {u.name}
                    {by === 'village' && u.formerCommune && (
                      <div className="muted small">{u.formerCommune}</div>
                    )}
                  </th>
                  {codes.map((code) => {
                    const cell = u.cells.find((x) => x.code === code);
                    return (
                      <td key={code} className={cell ? `cell-${cell.assessment}` : undefined}>
                        {cell?.result || '—'}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
