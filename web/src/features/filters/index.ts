// The filters feature's public surface: other features and the app import only from here.
export { DeviceFilters } from './components/DeviceFilters.tsx';
