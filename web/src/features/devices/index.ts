// The devices feature's public surface: other features and the app import only from here.
export { DEVICES_QUERY_KEY, useDevice, useDevices } from './api/useDevices.ts';
export { DeviceList } from './components/DeviceList.tsx';
export { type DeviceFilter, EMPTY_FILTER, filterDevices, foldVietnamese } from './filterDevices.ts';
export { groupDevices, type ListRow } from './grouping.ts';
