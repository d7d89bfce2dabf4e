import { useCallback } from 'react';
import { useNavigate, useSearchParams as useRouterSearchParams } from 'react-router';

/**
 * View state in the URL (filters, tab), so a page can be bookmarked, shared and reloaded as it was.
 * A thin layer over react-router: patching a filter replaces the history entry (a filter change is not
 * a page visit), so Back leaves the page rather than undoing each keystroke.
 */
export function useSearchParams(): [URLSearchParams, (patch: Record<string, string | null>) => void] {
  const [params, setParams] = useRouterSearchParams();
  const set = useCallback(
    (patch: Record<string, string | null>) => {
      // From the address as it is now (two patches in one handler both apply), see criteria/urlState.ts.
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      setParams(next, { replace: true });
    },
    [setParams],
  );
  return [params, set];
}

/** Goes to another page of the dashboard without a reload, e.g. the banner's "Xem". */
export function useNavigateTo(): (pathAndQuery: string) => void {
  const navigate = useNavigate();
  return useCallback((to: string) => navigate(to), [navigate]);
}
