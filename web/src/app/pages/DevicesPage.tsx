import type { DeviceKind } from '@commune-hub/protocol';
import { useCallback, useDeferredValue, useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { DeviceDetailPanel } from '../../features/detail/index.ts';
import { type DeviceFilter, DeviceList, filterDevices, useDevices } from '../../features/devices/index.ts';
import { DeviceFilters } from '../../features/filters/index.ts';
import { countStatuses, KindSummary } from '../../features/summary/index.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { PATHS } from '../paths.ts';
import { filterFromParams, paramsFromFilter } from './deviceFilterParams.ts';

const NO_DEVICES: never[] = [];

/**
 * "Thiết bị": every device with search and filters; `/thiet-bi/:id` opens one device's panel over the
 * list. The filter, the device and the panel's period (`?ky=`) all live in the URL.
 */
export function DevicesPage() {
  const { t } = useI18n();
  const devicesQuery = useDevices();
  const devices = devicesQuery.data ?? NO_DEVICES;
  const { id: selectedId = null } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filter = useMemo(() => filterFromParams(params), [params]);
  // Typing stays responsive with 10,000 devices: filtering runs at lower priority than the input.
  const deferredFilter = useDeferredValue(filter);

  const withoutStatus = useMemo(
    () => filterDevices(devices, { ...deferredFilter, status: null }),
    [devices, deferredFilter],
  );
  const shown = useMemo(() => filterDevices(withoutStatus, deferredFilter), [withoutStatus, deferredFilter]);
  const statusCounts = useMemo(() => countStatuses(withoutStatus), [withoutStatus]);

  // Filters replace the history entry (typing is not a page visit); opening a device pushes one, so
  // Back closes its panel.
  const setFilter = useCallback(
    (next: DeviceFilter) => setParams((prev) => paramsFromFilter(next, prev), { replace: true }),
    [setParams],
  );
  const selectKind = useCallback(
    (kind: DeviceKind | null) => setFilter({ ...filterFromParams(params), kind }),
    [setFilter, params],
  );
  const listSearch = useCallback(() => {
    const next = new URLSearchParams(params);
    next.delete('ky');
    const qs = next.toString();
    return qs ? `?${qs}` : '';
  }, [params]);
  const select = useCallback(
    (id: string) => navigate(`${PATHS.devices}/${encodeURIComponent(id)}${listSearch()}`),
    [navigate, listSearch],
  );
  const closeDetail = useCallback(() => navigate(`${PATHS.devices}${listSearch()}`), [navigate, listSearch]);

  return (
    <>
      <main className="content" data-testid="devices-page">
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
        <DeviceList devices={shown} selectedId={selectedId} onSelect={select} />
      </main>
      {selectedId && <DeviceDetailPanel id={selectedId} onClose={closeDetail} />}
    </>
  );
}
