import { DEVICE_KINDS, type DeviceKind, type DeviceView } from '@commune-hub/protocol';
import { isWorking } from '../summary/index.ts';

/** One line of the virtualized list: a village header, a kind sub-header or a device. */
export type ListRow =
  | { type: 'village'; key: string; village: string; total: number; working: number }
  | { type: 'kind'; key: string; village: string; kind: DeviceKind; total: number; working: number }
  | { type: 'device'; key: string; device: DeviceView };

const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });
const KIND_ORDER = new Map<DeviceKind, number>(DEVICE_KINDS.map((k, i) => [k, i]));

/**
 * Flattens devices into village → kind → device rows, villages and names in Vietnamese alphabetical
 * order (numbers compared as numbers: "Thôn 2" before "Thôn 10"), kinds in protocol order.
 */
export function groupDevices(devices: readonly DeviceView[]): ListRow[] {
  const villages = new Map<string, Map<DeviceKind, DeviceView[]>>();
  for (const d of devices) {
    let kinds = villages.get(d.village);
    if (!kinds) {
      kinds = new Map();
      villages.set(d.village, kinds);
    }
    const list = kinds.get(d.kind);
    if (list) list.push(d);
    else kinds.set(d.kind, [d]);
  }

  const rows: ListRow[] = [];
  for (const village of [...villages.keys()].sort(collator.compare)) {
    const kinds = villages.get(village)!;
    const header: ListRow & { type: 'village' } = {
      type: 'village',
      key: `v:${village}`,
      village,
      total: 0,
      working: 0,
    };
    rows.push(header);
    const kindOrder = [...kinds.keys()].sort((a, b) => KIND_ORDER.get(a)! - KIND_ORDER.get(b)!);
    for (const kind of kindOrder) {
      const list = kinds
        .get(kind)!
        .sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.id, b.id));
      const working = list.reduce((n, d) => n + (isWorking(d.status) ? 1 : 0), 0);
      rows.push({
        type: 'kind',
        key: `k:${village}\u0000${kind}`,
        village,
        kind,
        total: list.length,
        working,
      });
      header.total += list.length;
      header.working += working;
      for (const device of list) rows.push({ type: 'device', key: `d:${device.id}`, device });
    }
  }
  return rows;
}
