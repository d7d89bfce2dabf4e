import type { UptimeFigures } from '@commune-hub/protocol';

/** How a cell (or a whole period) is coloured: by what happened in it, not by a threshold. */
export type CellState = 'up' | 'partial' | 'down' | 'unknown' | 'maintenance' | 'none';

export function cellState(f: UptimeFigures): CellState {
  const measured = f.up_s + f.down_s;
  if (measured === 0) {
    if (f.maintenance_s > 0) return 'maintenance';
    if (f.unknown_s > 0) return 'unknown';
    return 'none';
  }
  if (f.down_s === 0) return 'up';
  if (f.up_s === 0) return 'down';
  return 'partial';
}
