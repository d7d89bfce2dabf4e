import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { SocketManager } from './socketManager.ts';

const RealtimeContext = createContext<SocketManager | null>(null);

/** Starts the socket for the lifetime of the app and stops it on unmount. */
/** `onRefused`: see SocketManagerOptions (the hub closed or refused the socket). */
export function RealtimeProvider({
  children,
  url,
  onRefused,
}: {
  children: ReactNode;
  url?: string;
  onRefused?: () => void;
}) {
  const queryClient = useQueryClient();
  const [manager] = useState(
    () => new SocketManager(queryClient, { ...(url ? { url } : {}), ...(onRefused ? { onRefused } : {}) }),
  );
  useEffect(() => {
    manager.start();
    return () => manager.stop();
  }, [manager]);
  return <RealtimeContext.Provider value={manager}>{children}</RealtimeContext.Provider>;
}

export function useSocketManager(): SocketManager {
  const manager = useContext(RealtimeContext);
  if (!manager) throw new Error('useSocketManager must be used inside <RealtimeProvider>');
  return manager;
}
