import type { DeviceView } from '@commune-hub/protocol';
import { lazy, Suspense, useState } from 'react';
import { formatDateTime, formatMetricValue, metricLabel } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useMetricSeries } from '../api/useDeviceHistory.ts';

// uPlot is only needed once someone opens a device: keep it out of the first download.
const MetricChart = lazy(() => import('./MetricChart.tsx').then((m) => ({ default: m.MetricChart })));

/** Current readings, and a 6-hour chart of the numeric one the user picks. */
export function MetricsSection({ device }: { device: DeviceView }) {
  const { t } = useI18n();
  const entries = Object.entries(device.metrics).sort(([a], [b]) => a.localeCompare(b));
  const numeric = entries.filter(([, v]) => typeof v === 'number').map(([k]) => k);
  const [picked, setPicked] = useState<string | null>(null);
  const metric = picked && numeric.includes(picked) ? picked : (numeric[0] ?? null);
  const series = useMetricSeries(device.id, metric);
  // Readings of a device that is not heard now are its last ones, not current: say when they were taken.
  const stale = device.status === 'offline' || device.status === 'unknown' || device.status === 'maintenance';

  return (
    <>
      <section className="detail-section">
        <h3>{t.detail.metrics}</h3>
        {stale && device.lastSeen && (
          <p className="muted stale-values" data-testid="last-values-at">
            {t.detail.lastValuesAt(formatDateTime(t, device.lastSeen))}
          </p>
        )}
        {entries.length === 0 ? (
          <p className="muted">{t.detail.noMetrics}</p>
        ) : (
          <dl className={`metrics${stale ? ' metrics-stale' : ''}`} data-testid="metrics">
            {entries.map(([k, v]) => (
              <div key={k} className="metric">
                <dt>{metricLabel(t, k)}</dt>
                <dd>{formatMetricValue(t, v, k)}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      {metric && (
        <section className="detail-section">
          <div className="section-head">
            <h3>{t.detail.chart}</h3>
            <select value={metric} onChange={(e) => setPicked(e.target.value)} aria-label={t.detail.metrics}>
              {numeric.map((k) => (
                <option key={k} value={k}>
                  {metricLabel(t, k)}
                </option>
              ))}
            </select>
          </div>
          {series.isError ? (
            <p className="error">{t.detail.loadError}</p>
          ) : series.data && series.data.length > 1 ? (
            <Suspense fallback={<div className="chart" />}>
              <MetricChart points={series.data} label={metricLabel(t, metric)} locale={t.locale} />
            </Suspense>
          ) : (
            <p className="muted">{t.detail.chartEmpty}</p>
          )}
        </section>
      )}
    </>
  );
}
