// The device detail feature's public surface: other features and the app import only from here.
export { DeviceDetailPanel } from './components/DeviceDetailPanel.tsx';
