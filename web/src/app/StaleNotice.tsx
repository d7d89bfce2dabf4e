import { useEffect, useRef, useState } from 'react';
import { useConnectionState, useSocketManager } from '../features/realtime/index.ts';
import { formatAgo } from '../i18n/format.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useShellWords } from '../i18n/shell.ts';
import { useNow } from '../lib/useNow.ts';

/**
 * Whether the figures on screen may be old: the socket was live once and is not now. While it has
 * never connected the page shows "Đang kết nối…" in the badge and nothing is greyed.
 * `lastLiveAt` is the last moment the socket was live (epoch ms), for "cập nhật lần cuối 3 phút trước".
 */
export function useStaleness(): { stale: boolean; lastLiveAt: number | null } {
  const state = useConnectionState(useSocketManager());
  const lastLive = useRef<number | null>(null);
  const [lastLiveAt, setLastLiveAt] = useState<number | null>(null);
  useEffect(() => {
    if (state === 'live') {
      lastLive.current = Date.now();
      setLastLiveAt(null);
    } else if (lastLive.current !== null) {
      setLastLiveAt(lastLive.current);
    }
  }, [state]);
  return { stale: state !== 'live' && lastLiveAt !== null, lastLiveAt };
}

/** The plain-words notice under the header while the hub cannot be reached. */
export function StaleNotice({ stale, lastLiveAt }: { stale: boolean; lastLiveAt: number | null }) {
  const { t } = useI18n();
  const w = useShellWords();
  const now = useNow(5_000);
  if (!stale) return null;
  const age = lastLiveAt === null ? null : formatAgo(t, new Date(lastLiveAt).toISOString(), now);
  return (
    <div className="stale-notice" role="status" data-testid="stale-notice">
      <strong>{w.stale.title}</strong>
      <p>{age ? w.stale.body(age) : w.stale.never}</p>
    </div>
  );
}
