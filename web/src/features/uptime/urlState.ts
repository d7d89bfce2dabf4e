import { DEVICE_KINDS, type DeviceKind, type UptimeBucket } from '@commune-hub/protocol';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { type Period, type PeriodKind, parsePeriodKey, periodContaining } from '../criteria/index.ts';

/** Periods the uptime page offers (the criteria's half-year is not one of them). */
export type UptimePeriodKind = Extract<PeriodKind, 'month' | 'quarter' | 'year'>;
export const UPTIME_PERIOD_KINDS: readonly UptimePeriodKind[] = ['month', 'quarter', 'year'];

export interface UptimeView {
  period: Period;
  kind: DeviceKind | null;
  village: string | null;
  /** Hourly cells are offered for a month only (at most 744 cells per device). */
  bucket: UptimeBucket;
}

/**
 * The page's whole state lives in the URL (a link sent on Zalo opens the same view; Back works):
 * `ky` the period ("2026-10", "2026-Q4", "2026"), `loai` a kind, `thon` a village, `o=gio` hourly cells.
 */
export function readUptimeView(params: URLSearchParams, now: number): UptimeView {
  const parsed = parsePeriodKey(params.get('ky') ?? '');
  const period = parsed && parsed.kind !== 'half' ? parsed : periodContaining('month', now);
  const kindParam = params.get('loai');
  const kind = DEVICE_KINDS.includes(kindParam as DeviceKind) ? (kindParam as DeviceKind) : null;
  const village = params.get('thon') || null;
  const bucket: UptimeBucket = params.get('o') === 'gio' && period.kind === 'month' ? 'hour' : 'day';
  return { period, kind, village, bucket };
}

export function useUptimeView(now: number) {
  const [params, setParams] = useSearchParams();
  const view = readUptimeView(params, now);
  const update = useCallback(
    (change: Partial<Record<'ky' | 'loai' | 'thon' | 'o', string | null>>) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(change)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      });
    },
    [setParams],
  );
  return { view, update };
}
