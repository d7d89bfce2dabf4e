import { DEVICE_KINDS, DEVICE_STATUSES, type DeviceKind, type DeviceStatus } from '@commune-hub/protocol';
import type { DeviceFilter } from '../../features/devices/index.ts';

/**
 * The device list's filter in the URL (`?loai=camera&tt=offline&q=dong`), so a filtered list can be
 * sent as a link. Unknown values are ignored rather than shown as an empty list.
 */
export function filterFromParams(params: URLSearchParams): DeviceFilter {
  const kind = params.get('loai');
  const status = params.get('tt');
  return {
    kind: (DEVICE_KINDS as readonly string[]).includes(kind ?? '') ? (kind as DeviceKind) : null,
    status: (DEVICE_STATUSES as readonly string[]).includes(status ?? '') ? (status as DeviceStatus) : null,
    text: params.get('q') ?? '',
  };
}

export function paramsFromFilter(filter: DeviceFilter, base: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(base);
  const put = (key: string, value: string | null) => (value ? next.set(key, value) : next.delete(key));
  put('loai', filter.kind);
  put('tt', filter.status);
  put('q', filter.text);
  return next;
}
