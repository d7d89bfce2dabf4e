import { useCallback, useSyncExternalStore } from 'react';

/**
 * View state in the URL (filters, tab), so a page can be bookmarked, shared and reloaded as it was.
 * A small hook until the dashboard has a router: history.replaceState plus a change event.
 */
const EVENT = 'hub:search-params';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

const snapshot = () => window.location.search;

export function useSearchParams(): [URLSearchParams, (patch: Record<string, string | null>) => void] {
  const search = useSyncExternalStore(subscribe, snapshot, () => '');
  const set = useCallback((patch: Record<string, string | null>) => {
    const params = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') params.delete(k);
      else params.set(k, v);
    }
    const qs = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${qs ? `?${qs}` : ''}`);
    window.dispatchEvent(new Event(EVENT));
  }, []);
  return [new URLSearchParams(search), set];
}

/** Goes to another page of the dashboard without a reload (pushState), e.g. the banner's "Xem". */
export function navigate(pathAndQuery: string): void {
  window.history.pushState(null, '', pathAndQuery);
  window.dispatchEvent(new Event(EVENT));
  window.dispatchEvent(new PopStateEvent('popstate'));
}

const pathSnapshot = () => window.location.pathname;
export function usePathname(): string {
  return useSyncExternalStore(subscribe, pathSnapshot, () => '/');
}
