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
  // From the address as it is now, not as of the last render: two setters called in one handler
  // (close the evidence and reset its tab) must both apply, and react-router's functional form would
  // hand the second one the params of the render, dropping the first change.
  const set = useCallback(
    (next: string | null, push = false) => {
      const updated = new URLSearchParams(window.location.search);
      if (next === null || next === '') updated.delete(name);
      else updated.set(name, next);
      setParams(updated, { replace: !push });
    },
    [name, setParams],
  );
  return [params.get(name), set];
}
