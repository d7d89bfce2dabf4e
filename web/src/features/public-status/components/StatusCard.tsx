import type { PublicDeviceStatus } from '@commune-hub/protocol';
import { Link } from 'react-router';
import { formatPercent } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { usePublicWords } from '../words.ts';

/** One device as a citizen sees it: its name, a status in words (not only a colour), and this month's uptime. */
export function StatusCard({
  device,
  period,
  href,
  large = false,
}: {
  device: PublicDeviceStatus;
  period: { month: number; year: number };
  href?: string;
  large?: boolean;
}) {
  const { t } = useI18n();
  const w = usePublicWords();
  const words = w.statuses[device.status];
  const name = href ? <Link to={href}>{device.name}</Link> : device.name;
  return (
    <li className={`ps-card ps-${device.status}${large ? ' ps-card-large' : ''}`} data-testid="public-device">
      <span className="ps-dot" aria-hidden="true" />
      <div className="ps-card-body">
        <h3 className="ps-name">{name}</h3>
        <p className="ps-status" data-testid="public-status">
          {words.label}
        </p>
        {large && <p className="ps-hint">{words.hint}</p>}
        <p className="ps-uptime">
          {w.uptimeThisMonth(period.month, period.year)}:{' '}
          <strong data-testid="public-uptime">
            {device.uptimeMonth === null ? w.noUptime : formatPercent(t, device.uptimeMonth)}
          </strong>
        </p>
      </div>
    </li>
  );
}
