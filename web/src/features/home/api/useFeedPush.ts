import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useSocketManager } from '../../realtime/index.ts';

/**
 * Refetches the feed when the hub says it changed (`feed:changed`: a citizen's report, an alert fired or
 * resolved, maintenance), so a report shows on the home page at once rather than at the next 30 s poll.
 * Status changes already refetch it through the device list's fingerprint.
 */
export function useFeedPush(): void {
  const queryClient = useQueryClient();
  const socket = useSocketManager();
  useEffect(
    () => socket.on('feed:changed', () => void queryClient.invalidateQueries({ queryKey: ['feed'] })),
    [socket, queryClient],
  );
}
