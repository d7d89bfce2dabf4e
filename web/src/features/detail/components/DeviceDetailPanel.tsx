import type { DeviceView } from '@commune-hub/protocol';
import { useEffect, useRef } from 'react';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { faultLabel, formatAgo, formatDateTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { useDevice } from '../../devices/index.ts';
import { ProbeSection } from '../../probes/index.ts';
import { DeviceHistory } from './DeviceHistory.tsx';
import { MetricsSection } from './MetricsSection.tsx';
import { PeriodUptimeSection } from './PeriodUptimeSection.tsx';
import { UptimeSection } from './UptimeSection.tsx';

interface DeviceDetailPanelProps {
  id: string;
  onClose: () => void;
}

/** Side panel (full screen on a phone) with everything known about one device, following live data. */
export function DeviceDetailPanel({ id, onClose }: DeviceDetailPanelProps) {
  const { t } = useI18n();
  const device = useDevice(id);
  const dialogRef = useRef<HTMLDialogElement>(null);

  // A modal <dialog> gives focus on the close button, Escape to close and an inert page behind it for free.
  // No cleanup: unmounting removes the dialog, and close() there would report a close the user never made.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape already closes a native dialog; the backdrop click is a mouse shortcut.
    <dialog
      ref={dialogRef}
      className="detail"
      aria-label={device?.name ?? id}
      data-testid="detail-panel"
      onClose={onClose}
      onClick={(e) => {
        // The dialog box itself is only hit on its backdrop: the content fills it.
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="detail-inner">
        <header className="detail-header">
          <div className="detail-title">
            <h2 data-testid="detail-name">{device?.name ?? id}</h2>
            {device && <StatusBadge status={device.status} />}
          </div>
          <button type="button" className="close-button" onClick={onClose}>
            <span aria-hidden="true">✕</span> {t.detail.close}
          </button>
        </header>
        {device ? <DetailBody device={device} /> : <p className="muted">{t.list.loading}</p>}
      </div>
    </dialog>
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
              <li key={f}>⚠ {faultLabel(t, f)}</li>
            ))}
          </ul>
        </section>
      )}
      <UptimeSection id={device.id} />
      <PeriodUptimeSection device={device} />
      <MetricsSection device={device} />
      <ProbeSection device={device} />
      <DeviceHistory device={device} />
    </div>
  );
}
