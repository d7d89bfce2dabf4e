import { DEVICE_KINDS, type DeviceKind } from '@commune-hub/protocol';
import { formatDateTime, formatNumber } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { evaluationRange } from '../../criteria/index.ts';
import { useUptimeReport } from '../api/useUptimeReport.ts';
import { cellState } from '../cells.ts';
import { useUptimeView } from '../urlState.ts';
import { useUptimeWords } from '../words.ts';
import { describeFigures } from './describe.ts';
import { PeriodPicker } from './PeriodPicker.tsx';
import { DeviceTable, GroupTable } from './UptimeTables.tsx';

const MINUTE_MS = 60_000;

/**
 * "Thời gian hoạt động": uptime of a month, quarter or year per kind, per village and per device, with
 * a bar per device. Everything the official picks is in the URL. A running period is measured up to
 * the current minute (a future instant has no uptime yet).
 */
export function UptimePage() {
  const { t } = useI18n();
  const w = useUptimeWords();
  const now = useNow();
  const { view, update } = useUptimeView(now);
  // Whole minutes: the query key stays put between renders, and a running period still advances.
  const range = evaluationRange(view.period, Math.floor(now / MINUTE_MS) * MINUTE_MS);
  const report = useUptimeReport({ ...range, bucket: view.bucket, kind: view.kind, village: view.village });
  const data = report.data;
  const kinds = DEVICE_KINDS.filter((k) => data?.byKind.some((r) => r.key === k) || k === view.kind);

  return (
    <main className="content uptime-page" data-testid="uptime-page">
      <h2>{w.title}</h2>
      <p className="muted">{w.intro}</p>
      <div className="uptime-controls">
        <PeriodPicker period={view.period} now={now} onPick={(ky) => update({ ky })} />
        <label>
          {w.kindFilter}
          <select
            value={view.kind ?? ''}
            data-testid="uptime-kind-filter"
            onChange={(e) => update({ loai: e.target.value || null })}
          >
            <option value="">{w.allKinds}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t.kinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.villageFilter}
          <select
            value={view.village ?? ''}
            data-testid="uptime-village-filter"
            onChange={(e) => update({ thon: e.target.value || null })}
          >
            <option value="">{w.allVillages}</option>
            {(data?.byVillage ?? []).map((v) => (
              <option key={v.key} value={v.key}>
                {v.key}
              </option>
            ))}
            {view.village && !data?.byVillage.some((v) => v.key === view.village) && (
              <option value={view.village}>{view.village}</option>
            )}
          </select>
        </label>
        {view.period.kind === 'month' && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={view.bucket === 'hour'}
              onChange={(e) => update({ o: e.target.checked ? 'gio' : null })}
            />
            {w.cols.barHours}
          </label>
        )}
      </div>
      {range.to < view.period.to && <p className="notice">{w.partial(formatDateTime(t, range.to))}</p>}
      {report.isPending && <p className="notice">{w.loading}</p>}
      {report.isError && (
        <p className="notice notice-error">
          {w.loadError}: {report.error.message}
        </p>
      )}
      {data && data.devices.length === 0 && <p className="notice">{w.noDevices}</p>}
      {data && data.devices.length > 0 && (
        <>
          <p className={`uptime-total cell-${cellState(data.total)}`} data-testid="uptime-total">
            <strong>{w.total}</strong> ({formatNumber(t, data.devices.length, 0)}):{' '}
            {describeFigures(t, w, data.total)}
          </p>
          <Legend />
          <GroupTable
            caption={w.byKind}
            rows={data.byKind}
            testPrefix="uptime-kind"
            label={(k) => t.kinds[k as DeviceKind] ?? k}
            onPick={(k) => update({ loai: k })}
          />
          <GroupTable
            caption={w.byVillage}
            rows={data.byVillage}
            testPrefix="uptime-village"
            label={(v) => v}
            onPick={(v) => update({ thon: v })}
          />
          <DeviceTable rows={data.devices} bucket={data.bucket} periodKey={view.period.key} />
        </>
      )}
    </main>
  );
}

function Legend() {
  const w = useUptimeWords();
  const states = ['up', 'partial', 'down', 'unknown', 'maintenance', 'none'] as const;
  const label = (s: (typeof states)[number]) =>
    s === 'partial' ? `${w.legend.up} / ${w.legend.down.toLowerCase()}` : w.legend[s];
  return (
    <ul className="uptime-legend">
      {states.map((s) => (
        <li key={s}>
          <span className={`uptime-cell cell-${s}`} aria-hidden="true" /> {label(s)}
        </li>
      ))}
    </ul>
  );
}
