import { useEffect, useState } from 'react';

/** Current time, refreshed every `everyMs`: drives "3 minutes ago" labels without a render per second. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
