import type { DeviceKind } from '@commune-hub/protocol';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { AlertBanner, AlertsPage, navigate, usePathname } from './features/alerts/index.ts';
import { CRITERIA_PATH, CriteriaPage } from './features/criteria/index.ts';
import { DeviceDetailPanel } from './features/detail/index.ts';
import { DeviceList, EMPTY_FILTER, filterDevices, useDevices } from './features/devices/index.ts';
import { DeviceFilters } from './features/filters/index.ts';
import { ConnectionBadge } from './features/realtime/index.ts';
import { countStatuses, KindSummary } from './features/summary/index.ts';
import { useI18n } from './i18n/I18nProvider.tsx';

const NO_DEVICES: never[] = [];

export function App() {
  const { t, toggle } = useI18n();
  const devicesQuery = useDevices();
  const devices = devicesQuery.data ?? NO_DEVICES;
  const [filter, setFilter] = useState(EMPTY_FILTER);
  // Alert messages link to /?device=<id>: open that device's panel.
  const [selectedId, setSelectedId] = useState<string | null>(() =>
    new URLSearchParams(window.location.search).get('device'),
  );
  const pathname = usePathname();
  // Typing stays responsive with 10,000 devices: filtering runs at lower priority than the input.
  const deferredFilter = useDeferredValue(filter);

  const withoutStatus = useMemo(
    () => filterDevices(devices, { ...deferredFilter, status: null }),
    [devices, deferredFilter],
  );
  const shown = useMemo(() => filterDevices(withoutStatus, deferredFilter), [withoutStatus, deferredFilter]);
  const statusCounts = useMemo(() => countStatuses(withoutStatus), [withoutStatus]);

  const selectKind = useCallback((kind: DeviceKind | null) => setFilter((f) => ({ ...f, kind })), []);
  const closeDetail = useCallback(() => setSelectedId(null), []);

  return (
    <div className="app">
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <h1>{t.appTitle}</h1>
            <p className="subtitle">{t.appSubtitle}</p>
          </div>
          <div className="topbar-actions">
            <ConnectionBadge />
            <button type="button" className="lang-button" onClick={toggle} aria-label={t.switchLanguageLabel}>
              <span className="long-label">{t.switchLanguage}</span>
              <span className="short-label">{t.switchLanguageShort}</span>
            </button>
          </div>
        </div>
      </header>
      <AlertBanner />
      <nav className="main-nav" aria-label="Trang">
        {[
          ['/', 'Thiết bị', 'nav-devices'],
          ['/alerts', 'Cảnh báo', 'nav-alerts'],
          [CRITERIA_PATH, 'Chỉ tiêu hạ tầng số', 'nav-criteria'],
        ].map(([href, label, testId]) => (
          <a
            key={href}
            href={href}
            data-testid={testId}
            aria-current={pathname === href ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(href!);
            }}
          >
            {label}
          </a>
        ))}
      </nav>
      {pathname === '/alerts' ? (
        <AlertsPage />
      ) : pathname === CRITERIA_PATH ? (
        <CriteriaPage />
      ) : (
        <main className="content">
          <KindSummary devices={devices} activeKind={filter.kind} onSelectKind={selectKind} />
          <DeviceFilters
            filter={filter}
            onChange={setFilter}
            statusCounts={statusCounts}
            shown={shown.length}
            total={devices.length}
          />
          {devicesQuery.isPending && <p className="notice">{t.list.loading}</p>}
          {devicesQuery.isError && devices.length === 0 && (
            <p className="notice notice-error">
              {t.list.loadError}: {devicesQuery.error.message}
            </p>
          )}
          {devicesQuery.isSuccess && devices.length === 0 && <p className="notice">{t.list.noDevices}</p>}
          {devices.length > 0 && shown.length === 0 && <p className="notice">{t.list.empty}</p>}
          <DeviceList devices={shown} selectedId={selectedId} onSelect={setSelectedId} />
        </main>
      )}
      {selectedId && pathname !== CRITERIA_PATH && (
        <DeviceDetailPanel id={selectedId} onClose={closeDetail} />
      )}
    </div>
  );
}
