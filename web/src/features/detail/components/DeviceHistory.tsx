import type { DeviceView } from '@commune-hub/protocol';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { faultLabel, formatDateTime, healthLabel } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useHeartbeats, useTransitions } from '../api/useDeviceHistory.ts';

/** Status history with reasons in words, and the latest heartbeats. */
export function DeviceHistory({ device }: { device: DeviceView }) {
  const { t } = useI18n();
  const transitions = useTransitions(device.id, `${device.status}@${device.since}`);
  const heartbeats = useHeartbeats(device.id, device.lastSeq);

  return (
    <>
      <section className="detail-section">
        <h3>{t.detail.transitions}</h3>
        {transitions.isError && <p className="error">{t.detail.loadError}</p>}
        {transitions.data && transitions.data.length === 0 && (
          <p className="muted">{t.detail.noTransitions}</p>
        )}
        {transitions.data && transitions.data.length > 0 && (
          <ol className="timeline" data-testid="transitions">
            {transitions.data.map((tr) => (
              <li key={`${tr.at}-${tr.to}-${tr.reason}`}>
                <time dateTime={tr.at}>{formatDateTime(t, tr.at)}</time>
                <span className="timeline-change">
                  <StatusBadge status={tr.to} />
                  <span className="muted">← {t.statuses[tr.from]}</span>
                </span>
                <span className="timeline-reason">{t.reasons[tr.reason]}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="detail-section">
        <h3>{t.detail.heartbeats}</h3>
        {heartbeats.isError && <p className="error">{t.detail.loadError}</p>}
        {heartbeats.data && heartbeats.data.length === 0 && <p className="muted">{t.detail.noHeartbeats}</p>}
        {heartbeats.data && heartbeats.data.length > 0 && (
          <div className="table-wrap">
            <table className="heartbeats" data-testid="heartbeats">
              <thead>
                <tr>
                  <th>{t.detail.at}</th>
                  <th>{t.detail.status}</th>
                </tr>
              </thead>
              <tbody>
                {heartbeats.data.map((hb) => (
                  <tr key={`${hb.seq}-${hb.ts}`}>
                    <td>
                      <time dateTime={hb.ts}>{formatDateTime(t, hb.ts)}</time>
                      {hb.late && <span className="tag">{t.detail.late}</span>}
                    </td>
                    <td>
                      {healthLabel(t, hb.st)}
                      {hb.faults.length > 0 && (
                        <span className="muted"> · {hb.faults.map((f) => faultLabel(t, f)).join('; ')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
