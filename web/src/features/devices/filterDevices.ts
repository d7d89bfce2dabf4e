import type { DeviceKind, DeviceStatus, DeviceView } from '@commune-hub/protocol';

export interface DeviceFilter {
  kind: DeviceKind | null;
  status: DeviceStatus | null;
  text: string;
}

export const EMPTY_FILTER: DeviceFilter = { kind: null, status: null, text: '' };

/**
 * Lower-case without diacritics, so "loa dong" finds "Loa thôn Đông": officials often type without
 * accents on a phone.
 */
export function foldVietnamese(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

// Device objects keep their identity until they change, so their folded text is computed once.
const folded = new WeakMap<DeviceView, string>();
function searchText(d: DeviceView): string {
  let text = folded.get(d);
  if (text === undefined) {
    text = foldVietnamese(`${d.name} ${d.id} ${d.village}`);
    folded.set(d, text);
  }
  return text;
}

export function filterDevices(devices: readonly DeviceView[], filter: DeviceFilter): readonly DeviceView[] {
  const words = foldVietnamese(filter.text).split(/\s+/).filter(Boolean);
  if (!filter.kind && !filter.status && words.length === 0) return devices;
  return devices.filter((d) => {
    if (filter.kind && d.kind !== filter.kind) return false;
    if (filter.status && d.status !== filter.status) return false;
    if (words.length === 0) return true;
    return words.every((w) => searchText(d).includes(w));
  });
}
