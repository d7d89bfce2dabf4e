import type { DeviceUptime } from '@commune-hub/protocol';
import { formatDuration, formatPercent } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useUptime } from '../api/useDeviceHistory.ts';

const WINDOWS = [1, 7, 30] as const;

/** Uptime as the hub computes it for the report: measured, not sampled; unknown time shown beside it. */
export function UptimeSection({ id }: { id: string }) {
  const { t } = useI18n();
  const { data, isError } = useUptime(id);
  return (
    <section className="detail-section" data-testid="uptime">
      <h3>{t.detail.uptime}</h3>
      {isError && <p className="muted">{t.detail.loadError}</p>}
      <dl className="facts">
        {WINDOWS.map((days, i) => {
          const u: DeviceUptime | undefined = data?.[i];
          return [
            <dt key={`t${days}`}>{t.detail.uptimeWindow(days)}</dt>,
            <dd key={`d${days}`}>
              {u?.ratio == null ? (
                <span className="muted">{t.detail.uptimeNone}</span>
              ) : (
                <>
                  <strong>{formatPercent(t, u.ratio)}</strong>
                  {u.down_s > 0 && (
                    <span className="muted"> · {t.detail.uptimeDown(formatDuration(t, u.down_s))}</span>
                  )}
                  {u.unknown_s > 0 && (
                    <span className="muted"> · {t.detail.uptimeUnknown(formatDuration(t, u.unknown_s))}</span>
                  )}
                </>
              )}
            </dd>,
          ];
        })}
      </dl>
    </section>
  );
}
