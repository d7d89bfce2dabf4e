// The realtime feature's public surface: other features and the app import only from here.
export { ConnectionBadge } from './components/ConnectionBadge.tsx';
export { animationFrameScheduler, type FrameScheduler } from './diffBatcher.ts';
export { RealtimeProvider, useSocketManager } from './RealtimeProvider.tsx';
export type { ConnectionState } from './socketManager.ts';
export { useConnectionState } from './useConnectionState.ts';
