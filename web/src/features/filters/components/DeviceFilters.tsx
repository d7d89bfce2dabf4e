import { DEVICE_KINDS, type DeviceKind, type DeviceStatus } from '@commune-hub/protocol';
import { memo } from 'react';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { DeviceFilter } from '../../devices/index.ts';
import { STATUS_DISPLAY_ORDER, type StatusCounts } from '../../summary/index.ts';

interface DeviceFiltersProps {
  filter: DeviceFilter;
  onChange: (filter: DeviceFilter) => void;
  /** Status counts of the devices the kind and text filters leave, for the status buttons. */
  statusCounts: StatusCounts;
  shown: number;
  total: number;
}

export const DeviceFilters = memo(function DeviceFilters({
  filter,
  onChange,
  statusCounts,
  shown,
  total,
}: DeviceFiltersProps) {
  const { t } = useI18n();
  const setStatus = (status: DeviceStatus | null) => onChange({ ...filter, status });
  const active = filter.kind !== null || filter.status !== null || filter.text !== '';
  return (
    <section className="filters" aria-label={t.filters.searchLabel}>
      <div className="filters-row">
        <label className="field field-search">
          <span className="field-label">{t.filters.searchLabel}</span>
          <input
            type="search"
            value={filter.text}
            placeholder={t.filters.searchPlaceholder}
            onChange={(e) => onChange({ ...filter, text: e.target.value })}
            data-testid="search"
          />
        </label>
        <label className="field field-kind">
          <span className="field-label">{t.filters.kind}</span>
          <select
            value={filter.kind ?? ''}
            onChange={(e) => onChange({ ...filter, kind: (e.target.value || null) as DeviceKind | null })}
            data-testid="kind-filter"
          >
            <option value="">{t.filters.allKinds}</option>
            {DEVICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t.kinds[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="status-filter">
        <legend className="field-label">{t.filters.status}</legend>
        <button
          type="button"
          className="chip"
          aria-pressed={filter.status === null}
          onClick={() => setStatus(null)}
        >
          {t.filters.allStatuses}
        </button>
        {STATUS_DISPLAY_ORDER.map((s) => (
          <button
            key={s}
            type="button"
            className={`chip chip-status status-${s}`}
            aria-pressed={filter.status === s}
            onClick={() => setStatus(filter.status === s ? null : s)}
            data-testid={`status-filter-${s}`}
          >
            <span className="badge-dot" aria-hidden="true" />
            {t.statuses[s]}
            <strong className="chip-count">{statusCounts[s]}</strong>
          </button>
        ))}
      </fieldset>
      <div className="filters-footer">
        <span data-testid="shown-count">{t.list.shown(shown, total)}</span>
        {active && (
          <button
            type="button"
            className="link-button"
            onClick={() => onChange({ kind: null, status: null, text: '' })}
          >
            {t.filters.clear}
          </button>
        )}
      </div>
    </section>
  );
});
