import type { DeviceStatus } from '@commune-hub/protocol';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** Status as colour and words: colour alone is not enough for colour-blind readers or a washed-out screen. */
export function StatusBadge({ status, count }: { status: DeviceStatus; count?: number }) {
  const { t } = useI18n();
  return (
    <span className={`badge status-${status}`} data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {t.statuses[status]}
      {count !== undefined && <strong className="badge-count">{count}</strong>}
    </span>
  );
}
