// The realtime feature's public surface: other features and the app import only from here.
export { ConnectionBadge } from './components/ConnectionBadge.tsx';
export { RealtimeProvider, useSocketManager } from './RealtimeProvider.tsx';
export type { ConnectionState } from './socketManager.ts';
