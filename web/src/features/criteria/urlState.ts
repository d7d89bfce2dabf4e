import { useCallback, useSyncExternalStore } from 'react';

/**
 * The page's view state lives in the URL's search params (shareable, survives reload, back button
 * works). One tiny store over `location` and `popstate`; a router can replace it later.
 */
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Moves to another path of the dashboard without reloading it. */
export function navigate(href: string): void {
  window.history.pushState(null, '', href);
  // A popstate reaches this store and every other path/search hook of the app (alerts' among them).
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export type CriteriaParam = 'set' | 'kind' | 'period' | 'evidence' | 'tab' | 'trend' | 'by';

/** One search param and its setter. `push`: a new history entry (opening evidence), else replace. */
export function useSearchParam(
  name: CriteriaParam,
): [string | null, (value: string | null, push?: boolean) => void] {
  const value = useSyncExternalStore(subscribe, () => new URLSearchParams(window.location.search).get(name));
  const set = useCallback(
    (next: string | null, push = false) => {
      const params = new URLSearchParams(window.location.search);
      if (next === null || next === '') params.delete(name);
      else params.set(name, next);
      const qs = params.toString();
      const url = `${window.location.pathname}${qs ? `?${qs}` : ''}${window.location.hash}`;
      if (push) window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
      notify();
    },
    [name],
  );
  return [value, set];
}
