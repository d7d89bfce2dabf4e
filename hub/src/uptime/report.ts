import { DEVICE_KINDS, UPTIME_MAX_CELLS, type UptimeBucket, type UptimeReport } from '@commune-hub/protocol';
import { HubError } from '../errors.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import type { UptimeFigures } from './compute.ts';
import type { Interval } from './intervals.ts';
import type { UptimeService } from './service.ts';

const BUCKET_MS: Record<UptimeBucket, number> = { hour: 3_600_000, day: 86_400_000 };
const iso = (ms: number) => new Date(ms).toISOString();

function sum(rows: readonly UptimeFigures[]): UptimeFigures {
  const total = { up_s: 0, down_s: 0, unknown_s: 0, maintenance_s: 0, ratio: null as number | null };
  for (const r of rows) {
    total.up_s += r.up_s;
    total.down_s += r.down_s;
    total.unknown_s += r.unknown_s;
    total.maintenance_s += r.maintenance_s;
  }
  const measured = total.up_s + total.down_s;
  total.ratio = measured > 0 ? total.up_s / measured : null;
  return total;
}

function groupTotals<K extends string>(
  rows: ReadonlyArray<UptimeFigures & { group: K }>,
  order: (a: K, b: K) => number,
) {
  const groups = new Map<K, UptimeFigures[]>();
  for (const r of rows) {
    const list = groups.get(r.group) ?? [];
    list.push(r);
    groups.set(r.group, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => order(a, b))
    .map(([key, list]) => ({ key, devices: list.length, ...sum(list) }));
}

const villageOrder = new Intl.Collator('vi', { numeric: true }).compare;
const kindOrder = (a: string, b: string) =>
  DEVICE_KINDS.indexOf(a as (typeof DEVICE_KINDS)[number]) -
  DEVICE_KINDS.indexOf(b as (typeof DEVICE_KINDS)[number]);

/**
 * The uptime page's answer for a period: per device its figures (the cells' sum) and cells, and the
 * totals per kind and per village summed exactly as `UptimeService.fleet` sums them for `/api/uptime`.
 */
export function buildUptimeReport(
  uptime: UptimeService,
  records: readonly DeviceRecord[],
  window: Interval,
  bucket: UptimeBucket,
): UptimeReport {
  const bucketMs = BUCKET_MS[bucket];
  const cellCount = Math.ceil((window.end - window.start) / bucketMs);
  if (cellCount > UPTIME_MAX_CELLS) {
    throw new HubError(
      'HUB_ERR_BAD_TIME_RANGE',
      `${cellCount} ${bucket} cells per device asked, at most ${UPTIME_MAX_CELLS}: pick a shorter period or bucket=day`,
    );
  }
  const running = uptime.hubRunning(window.start, window.end);
  const devices = records.map((r) => {
    const figures = uptime.device(r, window, running);
    const cells = uptime.cells(r, window, bucketMs, running);
    return {
      deviceId: r.id,
      name: r.name,
      kind: r.kind,
      village: r.village,
      up_s: figures.up_s,
      down_s: figures.down_s,
      unknown_s: figures.unknown_s,
      maintenance_s: figures.maintenance_s,
      ratio: figures.ratio,
      cells,
    };
  });
  return {
    from: iso(window.start),
    to: iso(window.end),
    bucket,
    bucketS: bucketMs / 1000,
    total: sum(devices),
    byKind: groupTotals(
      devices.map((d) => ({ ...d, group: d.kind as string })),
      kindOrder,
    ),
    byVillage: groupTotals(
      devices.map((d) => ({ ...d, group: d.village })),
      villageOrder,
    ),
    devices,
  };
}
