import type { CriterionResult, Trend } from '@commune-hub/protocol';
import { useEffect, useId, useRef, useState } from 'react';
import { formatNumber } from '../format.ts';
import { useCriteriaI18n } from '../i18n.ts';
import { AssessmentBadge } from './AssessmentBadge.tsx';

interface TrendChartProps {
  trend: Trend | undefined;
  rows: readonly CriterionResult[];
  code: string;
  onCode: (code: string) => void;
}

const H = 200;
const PAD = { top: 14, right: 22, bottom: 30, left: 36 };

/** The chart is drawn at its real pixel width, so its text stays 12 px on a phone and on a wide screen. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.round(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** "T11/26": the month of a period for the axis. */
function tick(fromIso: string, lang: 'vi' | 'en'): string {
  const d = new Date(Date.parse(fromIso) + 7 * 3_600_000);
  const label = `${d.getUTCMonth() + 1}/${String(d.getUTCFullYear()).slice(2)}`;
  return lang === 'vi' ? `T${label}` : label;
}

/**
 * A year of one indicator: a small SVG line (no chart library for 12 points), with the same figures as a
 * table for screen readers and for whoever prefers numbers.
 */
export function TrendChart({ trend, rows, code, onCode }: TrendChartProps) {
  const { c, t, lang } = useCriteriaI18n();
  const [showTable, setShowTable] = useState(false);
  const selectId = useId();
  const { ref, width: W } = useWidth(640);
  const points = (trend?.points ?? []).map((p) => ({
    label: tick(p.period.from, lang),
    period: p.period.label,
    cell: p.cells.find((x) => x.code === code) ?? null,
  }));
  const values = points.map((p) => p.cell?.value ?? null);
  const max = Math.max(1, ...values.filter((v): v is number => v !== null));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const path = values
    .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');

  return (
    <section ref={ref} className="criteria-section trend" aria-labelledby={`${selectId}-title`}>
      <div className="section-head">
        <h2 id={`${selectId}-title`}>{c.trend.title}</h2>
        <label className="inline-field">
          <span>{c.trend.criterion}</span>
          <select value={code} onChange={(e) => onCode(e.target.value)} data-testid="trend-code">
            {rows.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} · {r.name_vi.slice(0, 48)}
                {r.name_vi.length > 48 ? '…' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!trend ? (
        <p className="muted">{c.trend.loading}</p>
      ) : (
        <>
          <div className="trend-box">
            <svg
              width={W}
              height={H}
              viewBox={`0 0 ${W} ${H}`}
              className="trend-svg"
              role="img"
              aria-label={c.trend.chartLabel(code)}
            >
              {[0, 0.5, 1].map((f) => (
                <g key={f}>
                  <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} className="grid" />
                  <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" className="axis">
                    {formatNumber(t.locale, max * f, 0)}
                  </text>
                </g>
              ))}
              <polyline points={path} className="trend-line" />
              {values.map((v, i) =>
                v === null ? null : (
                  <circle
                    // biome-ignore lint/suspicious/noArrayIndexKey: the months are the fixed x axis.
                    key={i}
                    cx={x(i)}
                    cy={y(v)}
                    r={4.5}
                    className={`dot dot-${points[i]!.cell?.assessment ?? 'chua_danh_gia'}`}
                  />
                ),
              )}
              {points.map((p, i) =>
                W < 520 && (points.length - 1 - i) % 2 === 1 ? null : (
                  <text key={p.label} x={x(i)} y={H - 10} textAnchor="middle" className="axis">
                    {p.label}
                  </text>
                ),
              )}
            </svg>
          </div>
          <button
            type="button"
            className="link-button"
            onClick={() => setShowTable((s) => !s)}
            aria-expanded={showTable}
          >
            {showTable ? c.trend.hideTable : c.trend.showTable}
          </button>
          {showTable && (
            <table className="criteria-table" data-testid="trend-table">
              <thead>
                <tr>
                  <th scope="col">{c.trend.month}</th>
                  <th scope="col">{c.result}</th>
                  <th scope="col">{c.assessment}</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p) => (
                  <tr key={p.label}>
                    <th scope="row">{p.period}</th>
                    <td>{p.cell?.result || '—'}</td>
                    <td>{p.cell ? <AssessmentBadge assessment={p.cell.assessment} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
