import type { FeedItem } from '@commune-hub/protocol';
import { useState } from 'react';
import { Link } from 'react-router';
import { devicePath } from '../../../app/paths.ts';
import type { Dictionary } from '../../../i18n/dictionary.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { type ShellWords, useShellWords } from '../../../i18n/shell.ts';
import { clockOf } from './sinceText.ts';

function FeedText({ item, t, w, now }: { item: FeedItem; t: Dictionary; w: ShellWords; now: number }) {
  switch (item.kind) {
    case 'transition':
      return (
        <>
          <Link to={devicePath(item.deviceId)}>{item.deviceName}</Link>
          {item.village && <span className="feed-village"> · {item.village}</span>}:{' '}
          <span className={`feed-status status-${item.to}`}>
            {t.statuses[item.from]} → {t.statuses[item.to]}
          </span>
          <span className="feed-reason"> ({t.reasons[item.reason] ?? t.reasons.heartbeat})</span>
        </>
      );
    case 'alert':
      return (
        <>
          <strong className={`feed-alert-${item.event}`}>
            {item.event === 'fired' ? w.home.feedAlertFired : w.home.feedAlertResolved}:
          </strong>{' '}
          {item.title}
        </>
      );
    case 'maintenance':
      return (
        <>
          <Link to={devicePath(item.deviceId)}>{item.deviceName}</Link>:{' '}
          {w.home.feedMaintenance(clockOf(t, item.from, now), clockOf(t, item.to, now))}
          {item.note && <span className="feed-note"> — {item.note}</span>}
        </>
      );
    case 'report':
      return (
        <>
          <strong>{w.home.feedReport}</strong> ({item.deviceName ?? item.groupName}): “{item.text}”
        </>
      );
  }
}

const FIRST_ITEMS = 12;

function feedKey(item: FeedItem): string {
  switch (item.kind) {
    case 'transition':
      return `t|${item.deviceId}|${item.at}|${item.to}`;
    case 'alert':
      return `a|${item.alertId}|${item.event}`;
    case 'maintenance':
      return `m|${item.windowId}`;
    case 'report':
      return `r|${item.reportId}`;
  }
}

/** "Thay đổi trong 24 giờ qua": status changes, alerts, maintenance and citizens' reports, newest first. */
export function FeedList({
  items,
  truncated,
  isError,
  now,
}: {
  items: readonly FeedItem[];
  truncated: boolean;
  isError: boolean;
  now: number;
}) {
  const { t } = useI18n();
  const w = useShellWords();
  // The newest first screenful; the rest on request, so a phone does not scroll through a day.
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, FIRST_ITEMS);
  return (
    <section className="home-card feed" aria-labelledby="feed-title" data-testid="feed">
      <h2 id="feed-title">{w.home.feed}</h2>
      {isError && <p className="notice notice-error">{w.home.feedError}</p>}
      {items.length === 0 && !isError ? (
        <p className="muted">{w.home.feedEmpty}</p>
      ) : (
        <ol className="feed-items">
          {shown.map((item) => (
            <li key={feedKey(item)} className={`feed-item feed-${item.kind}`} data-kind={item.kind}>
              <time dateTime={item.at} className="feed-time">
                {clockOf(t, item.at, now)}
              </time>
              <span className="feed-text">
                <FeedText item={item} t={t} w={w} now={now} />
              </span>
            </li>
          ))}
        </ol>
      )}
      {shown.length < items.length && (
        <button type="button" className="feed-all" onClick={() => setAll(true)} data-testid="feed-all">
          {w.home.feedShowAll(items.length)}
        </button>
      )}
      {all && truncated && <p className="muted">{w.home.feedMore}</p>}
    </section>
  );
}
