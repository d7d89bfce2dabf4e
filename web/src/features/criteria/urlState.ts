import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The page's view state lives in the URL's search params (shareable, survives reload, Back works),
 * read and written through react-router.
 */
export type CriteriaParam = 'set' | 'kind' | 'period' | 'evidence' | 'tab' | 'trend' | 'by';

/** One search param and its setter. `push`: a new history entry (opening evidence), else replace. */
export function useSearchParam(
  name: CriteriaParam,
): [string | null, (value: string | null, push?: boolean) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (next: string | null, push = false) =>
      setParams(
        (prev) => {
          const updated = new URLSearchParams(prev);
          if (next === null || next === '') updated.delete(name);
          else updated.set(name, next);
          return updated;
        },
        { replace: !push },
      ),
    [name, setParams],
  );
  return [params.get(name), set];
}
