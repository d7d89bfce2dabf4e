import type { UptimeFigures } from '@commune-hub/protocol';
import type { Dictionary } from '../../../i18n/dictionary.ts';
import { formatDuration, formatPercent } from '../../../i18n/format.ts';
import type { UptimeWords } from '../words.ts';

/** "hoạt động 99,50 % · mất kết nối 1 giây · bảo trì 2 giờ": every figure of a cell, nothing rounded up. */
export function describeFigures(t: Dictionary, w: UptimeWords, f: UptimeFigures): string {
  const parts = [f.ratio == null ? w.notMeasured : w.cellUp(formatPercent(t, f.ratio))];
  if (f.down_s > 0) parts.push(`${w.cols.down.toLowerCase()} ${formatDuration(t, f.down_s)}`);
  if (f.unknown_s > 0) parts.push(`${w.legend.unknown.toLowerCase()} ${formatDuration(t, f.unknown_s)}`);
  if (f.maintenance_s > 0)
    parts.push(`${w.cols.maintenance.toLowerCase()} ${formatDuration(t, f.maintenance_s)}`);
  return parts.join(' · ');
}
