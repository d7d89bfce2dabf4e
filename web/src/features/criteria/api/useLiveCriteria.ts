import type { CriteriaEvaluatedPush, Evaluation, Trend } from '@commune-hub/protocol';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { animationFrameScheduler, type FrameScheduler, useSocketManager } from '../../realtime/index.ts';
import { applyPushToEvaluation, applyPushToTrend, coalescePush } from './applyPush.ts';
import { criteriaKeys } from './queries.ts';

/**
 * Applies `criteria:evaluated` pushes at most once per animation frame (as the device list does with
 * its diffs): the pushed cells patch the cached evaluation of the same period at once, then the set's
 * open queries refetch in the background for the evidence lists. Driven by the hub's events, no polling.
 */
export class CriteriaPushBatcher {
  private pending = new Map<string, CriteriaEvaluatedPush>();
  private handle: number | null = null;

  constructor(
    private readonly queryClient: QueryClient,
    private readonly scheduler: FrameScheduler = animationFrameScheduler,
  ) {}

  push = (push: CriteriaEvaluatedPush): void => {
    coalescePush(this.pending, push);
    if (this.handle === null) this.handle = this.scheduler.request(() => this.flush());
  };

  flush(): void {
    this.handle = null;
    const pending = this.pending;
    this.pending = new Map();
    for (const push of pending.values()) {
      for (const [key, ev] of this.queryClient.getQueriesData<Evaluation>({
        queryKey: [...criteriaKeys.set(push.setId), 'evaluation'],
      })) {
        if (!ev) continue;
        const next = applyPushToEvaluation(ev, push);
        if (next && next !== ev) this.queryClient.setQueryData(key, next);
      }
      this.queryClient.setQueryData<Trend>(
        criteriaKeys.trend(push.setId),
        (t) => t && applyPushToTrend(t, push),
      );
      // Evidence, breakdowns and periods other than the pushed one follow with a refetch of what is on screen.
      // The trend (twelve evaluations) is not refetched: its running month was patched above.
      void this.queryClient.invalidateQueries({
        queryKey: criteriaKeys.set(push.setId),
        refetchType: 'active',
        predicate: (q) => q.queryKey[2] !== 'trend',
      });
    }
  }

  stop(): void {
    if (this.handle !== null) this.scheduler.cancel(this.handle);
    this.handle = null;
    this.pending.clear();
  }
}

/** Follows the hub's live criteria evaluations while the page is mounted. */
export function useLiveCriteria(): void {
  const manager = useSocketManager();
  const queryClient = useQueryClient();
  useEffect(() => {
    const batcher = new CriteriaPushBatcher(queryClient);
    const stopListening = manager.on('criteria:evaluated', batcher.push);
    return () => {
      stopListening();
      batcher.stop();
    };
  }, [manager, queryClient]);
}
