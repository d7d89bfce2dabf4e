import type { DeviceView } from '@commune-hub/protocol';
import { memo } from 'react';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { faultLabel, formatAgo } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';

interface DeviceRowProps {
  device: DeviceView;
  now: number;
  selected: boolean;
  onSelect: (id: string) => void;
}

/** Memoized on the device object: realtime merges keep unchanged devices' identity, so they skip rendering. */
export const DeviceRow = memo(function DeviceRow({ device, now, selected, onSelect }: DeviceRowProps) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className={`device-row status-${device.status}${selected ? ' device-row-selected' : ''}`}
      onClick={() => onSelect(device.id)}
      data-testid={`device-${device.id}`}
      data-status={device.status}
      aria-current={selected ? 'true' : undefined}
    >
      <span className="device-stripe" aria-hidden="true" />
      <span className="device-main">
        <span className="device-name" data-testid="device-name">
          {device.name}
        </span>
        <span className="device-sub">
          {device.id}
          {device.faults.length > 0 && (
            <span className="device-faults">
              {' '}
              · ⚠ {device.faults.map((f) => faultLabel(t, f)).join('; ')}
            </span>
          )}
        </span>
      </span>
      <span className="device-side">
        <StatusBadge status={device.status} />
        <span className="device-seen">
          {t.list.lastSeen}: {formatAgo(t, device.lastSeen, now)}
        </span>
      </span>
    </button>
  );
});
