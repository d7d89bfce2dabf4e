import type { DeviceView } from '@commune-hub/protocol';
import { useEffect, useRef } from 'react';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { formatAgo, formatDateTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { useDevice } from '../../devices/api/useDevices.ts';
import { DeviceHistory } from './DeviceHistory.tsx';
import { MetricsSection } from './MetricsSection.tsx';

interface DeviceDetailPanelProps {
  id: string;
  onClose: () => void;
}

/** Side panel (full screen on a phone) with everything known about one device, following live data. */
export function DeviceDetailPanel({ id, onClose }: DeviceDetailPanelProps) {
  const { t } = useI18n();
  const device = useDevice(id);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <>
      <div className="backdrop" onClick={onClose} aria-hidden="true" />
      <aside className="detail" aria-label={device?.name ?? id} data-testid="detail-panel" aria-modal="true">
        <header className="detail-header">
          <div className="detail-title">
            <h2 data-testid="detail-name">{device?.name ?? id}</h2>
            {device && <StatusBadge status={device.status} />}
          </div>
          <button ref={closeRef} type="button" className="close-button" onClick={onClose}>
            <span aria-hidden="true">✕</span> {t.detail.close}
          </button>
        </header>
        {device ? <DetailBody device={device} /> : <p className="muted">{t.list.loading}</p>}
      </aside>
    </>
  );
}

function DetailBody({ device }: { device: DeviceView }) {
  const { t } = useI18n();
  const now = useNow();
  return (
    <div className="detail-body">
      <dl className="facts">
        <dt>{t.detail.id}</dt>
        <dd className="mono">{device.id}</dd>
        <dt>{t.detail.kind}</dt>
        <dd>{t.kinds[device.kind]}</dd>
        <dt>{t.detail.village}</dt>
        <dd>{device.village}</dd>
        <dt>{t.detail.status}</dt>
        <dd>
          {t.statuses[device.status]} — {t.reasons[device.reason]}
        </dd>
        <dt>{t.detail.since}</dt>
        <dd>{formatDateTime(t, device.since)}</dd>
        <dt>{t.detail.lastSeen}</dt>
        <dd>
          {formatAgo(t, device.lastSeen, now)}
          {device.lastSeen && <span className="muted"> ({formatDateTime(t, device.lastSeen)})</span>}
        </dd>
        <dt>{t.detail.interval}</dt>
        <dd>{t.detail.seconds(device.intervalS)}</dd>
      </dl>
      {device.faults.length > 0 && (
        <section className="detail-section">
          <h3>{t.detail.faults}</h3>
          <ul className="faults">
            {device.faults.map((f) => (
              <li key={f}>⚠ {f}</li>
            ))}
          </ul>
        </section>
      )}
      <MetricsSection device={device} />
      <DeviceHistory device={device} />
    </div>
  );
}
