import type { UptimeBucket, UptimeDeviceRow, UptimeFigures, UptimeGroupTotal } from '@commune-hub/protocol';
import { memo, useState } from 'react';
import { Link } from 'react-router';
import { devicePath } from '../../../app/paths.ts';
import type { Dictionary } from '../../../i18n/dictionary.ts';
import { formatDate, formatDuration, formatNumber, formatPercent, formatTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { cellState } from '../cells.ts';
import { useUptimeWords } from '../words.ts';
import { UptimeBar } from './UptimeBar.tsx';

const dur = (t: Dictionary, s: number) => (s > 0 ? formatDuration(t, s) : '—');

/** The figure cells shared by every table: ratio, down, unknown, maintenance. */
function FigureCells({ f, testId }: { f: UptimeFigures; testId: string }) {
  const { t } = useI18n();
  const w = useUptimeWords();
  return (
    <>
      <td
        className={`num ratio cell-${cellState(f)}`}
        data-testid={`${testId}-ratio`}
        data-label={w.cols.ratio}
      >
        {f.ratio == null ? <span className="muted">{w.notMeasured}</span> : formatPercent(t, f.ratio)}
      </td>
      <td className="num" data-testid={`${testId}-down`} data-label={w.cols.down}>
        {dur(t, f.down_s)}
      </td>
      <td className="num" data-label={w.cols.unknown}>
        {dur(t, f.unknown_s)}
      </td>
      <td className="num" data-label={w.cols.maintenance}>
        {dur(t, f.maintenance_s)}
      </td>
    </>
  );
}

function FigureHeads() {
  const w = useUptimeWords();
  return (
    <>
      <th scope="col">{w.cols.ratio}</th>
      <th scope="col">{w.cols.down}</th>
      <th scope="col">{w.cols.unknown}</th>
      <th scope="col">{w.cols.maintenance}</th>
    </>
  );
}

/** Totals per kind or per village; a row's name filters the device table to it. */
export function GroupTable({
  caption,
  rows,
  testPrefix,
  label,
  onPick,
}: {
  caption: string;
  rows: readonly UptimeGroupTotal[];
  testPrefix: string;
  label: (key: string) => string;
  onPick: (key: string) => void;
}) {
  const { t } = useI18n();
  const w = useUptimeWords();
  return (
    <div className="table-wrap">
      <table className="uptime-table" data-testid={`${testPrefix}-table`}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{w.cols.name}</th>
            <th scope="col">{w.cols.devices}</th>
            <FigureHeads />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`${testPrefix}-${r.key}`}>
              <th scope="row">
                <button type="button" className="link-button" onClick={() => onPick(r.key)}>
                  {label(r.key)}
                </button>
              </th>
              <td className="num" data-label={w.cols.devices}>
                {formatNumber(t, r.devices, 0)}
              </td>
              <FigureCells f={r} testId={`${testPrefix}-${r.key}`} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The cells of one bar as a table: the text alternative of the chart, built only when opened. */
function CellsTable({ row, bucket }: { row: UptimeDeviceRow; bucket: UptimeBucket }) {
  const { t } = useI18n();
  const w = useUptimeWords();
  const [open, setOpen] = useState(false);
  return (
    <div className="cells-alt">
      {/* The table is built only once asked for: a year is 365 rows per device. */}
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {w.showTable}
      </button>
      {open && (
        <table className="uptime-table cells-table">
          <caption>{w.tableAlt}</caption>
          <thead>
            <tr>
              <th scope="col">{bucket === 'day' ? w.cols.bar : w.cols.barHours}</th>
              <FigureHeads />
            </tr>
          </thead>
          <tbody>
            {row.cells.map((c) => (
              <tr key={c.start}>
                <th scope="row">
                  {bucket === 'day'
                    ? formatDate(t, c.start)
                    : `${formatTime(t, c.start)} ${formatDate(t, c.start)}`}
                </th>
                <FigureCells f={c} testId="cell" />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Every device of the view with its figures and its bar. */
export const DeviceTable = memo(function DeviceTable({
  rows,
  bucket,
  periodKey,
}: {
  rows: readonly UptimeDeviceRow[];
  bucket: UptimeBucket;
  /** The page's period, carried into the device panel's link. */
  periodKey: string;
}) {
  const { t } = useI18n();
  const w = useUptimeWords();
  return (
    <div className="table-wrap">
      <table className="uptime-table uptime-devices" data-testid="uptime-devices-table">
        <caption>{w.byDevice}</caption>
        <thead>
          <tr>
            <th scope="col">{w.cols.name}</th>
            <FigureHeads />
            <th scope="col">{bucket === 'day' ? w.cols.bar : w.cols.barHours}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.deviceId} data-testid={`uptime-device-${r.deviceId}`}>
              <th scope="row">
                <Link to={devicePath(r.deviceId, periodKey)}>{r.name}</Link>
                <span className="muted block">
                  {t.kinds[r.kind]} · {r.village}
                </span>
              </th>
              <FigureCells f={r} testId={`uptime-device-${r.deviceId}`} />
              <td className="bar-cell">
                <UptimeBar name={r.name} cells={r.cells} bucket={bucket} />
                <CellsTable row={r} bucket={bucket} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
