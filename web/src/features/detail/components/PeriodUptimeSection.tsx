import type { DeviceView } from '@commune-hub/protocol';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { formatDuration, formatPercent } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { hubApi } from '../../../lib/http.ts';
import { useNow } from '../../../lib/useNow.ts';
import { evaluationRange, parsePeriodKey, periodContaining, periodLabel } from '../../criteria/index.ts';
import { PeriodPicker, UptimeBar } from '../../uptime/index.ts';

/**
 * The device's uptime over a calendar period picked in the panel. The period is `?ky=` in the URL
 * ("2026-10", "2026-Q4", "2026"), so a link to the panel opens the same period; the current month
 * when absent. Figures from `/api/uptime/report?device=` (the same numbers as the uptime page), with a
 * bar of one cell per day.
 */
export function PeriodUptimeSection({ device }: { device: DeviceView }) {
  const { t, lang } = useI18n();
  const now = useNow(60_000);
  const [params, setParams] = useSearchParams();
  const parsed = parsePeriodKey(params.get('ky') ?? '');
  const period = parsed && parsed.kind !== 'half' ? parsed : periodContaining('month', now);
  const range = evaluationRange(period, now);
  const { data, isError } = useQuery({
    queryKey: ['uptime', 'report', 'device', device.id, period.key],
    queryFn: ({ signal }) =>
      hubApi.uptimeReport(
        {
          query: {
            from: String(range.from),
            to: String(range.to),
            bucket: 'day',
            device: device.id,
          },
        },
        { signal },
      ),
  });
  const row = data?.devices.find((d) => d.deviceId === device.id);
  const pick = (key: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('ky', key);
        return next;
      },
      { replace: true },
    );

  return (
    <section className="detail-section" data-testid="period-uptime" data-period={period.key}>
      <h3>
        {t.detail.uptime} — <span data-testid="period-uptime-label">{periodLabel(period, lang)}</span>
      </h3>
      <PeriodPicker period={period} now={now} onPick={pick} />
      {isError && <p className="muted">{t.detail.loadError}</p>}
      {row && (
        <>
          <p data-testid="period-uptime-figure" data-period={period.key}>
            <strong>{row.ratio == null ? t.detail.uptimeNone : formatPercent(t, row.ratio)}</strong>
            {row.down_s > 0 && <span className="muted"> · {formatDuration(t, row.down_s)}</span>}
          </p>
          <UptimeBar name={device.name} cells={row.cells} bucket="day" />
        </>
      )}
    </section>
  );
}
