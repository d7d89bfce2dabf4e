import { useFiringAlerts } from '../api/alertsApi.ts';
import { formatViTime } from '../labels.ts';
import { useNavigateTo } from '../useSearchParam.ts';

/**
 * Firing alerts at the top of every page, live over the socket. Red, with words (not colour alone):
 * how many, the newest titles and since when, and one button to the alerts page.
 */
export function AlertBanner() {
  const { data } = useFiringAlerts();
  const navigate = useNavigateTo();
  const firing = data ?? [];
  if (firing.length === 0) return null;
  const shown = firing.slice(0, 3);
  return (
    <section className="alert-banner" role="alert" data-testid="alert-banner" data-count={firing.length}>
      <div className="alert-banner-inner">
        <strong className="alert-banner-count">
          <span className="alert-dot" aria-hidden="true" />
          {firing.length} cảnh báo đang có
        </strong>
        <ul className="alert-banner-list">
          {shown.map((a) => (
            <li key={a.id} data-testid={`banner-alert-${a.id}`}>
              <span className="alert-banner-title">{a.title}</span>{' '}
              <span className="alert-banner-since">từ {formatViTime(a.firedAt ?? a.since)}</span>
            </li>
          ))}
          {firing.length > shown.length && <li>… và {firing.length - shown.length} cảnh báo khác</li>}
        </ul>
        <button
          type="button"
          className="alert-banner-open"
          onClick={() => navigate('/alerts?state=firing')}
          data-testid="alert-banner-open"
        >
          Xem và báo đã nhận
        </button>
      </div>
    </section>
  );
}
