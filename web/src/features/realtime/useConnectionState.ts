import { useSyncExternalStore } from 'react';
import type { ConnectionState, SocketManager } from './socketManager.ts';

export function useConnectionState(manager: SocketManager): ConnectionState {
  return useSyncExternalStore(manager.subscribe, manager.getState);
}
