import { useMemo } from 'react';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useShellWords } from '../../../i18n/shell.ts';
import { useNow } from '../../../lib/useNow.ts';
import { useDevices } from '../../devices/index.ts';
import { useFeed, useStatusFingerprint, useVillageHealth } from '../api/homeQueries.ts';
import { useFeedPush } from '../api/useFeedPush.ts';
import { groupProblems } from '../problems.ts';
import { FeedList } from './FeedList.tsx';
import { HomeSearch } from './HomeSearch.tsx';
import { KindHealth } from './KindHealth.tsx';
import { ProblemsList } from './ProblemsList.tsx';
import '../home.css';

const NO_DEVICES: never[] = [];

/**
 * "Hôm nay": what the official opens every morning. Problems first (grouped by village, a village-wide
 * cut named), then each kind's health in one line and the last 24 h of changes. Live: the device list
 * follows the socket, and a status change refetches the village verdicts and the feed.
 */
export function HomePage() {
  const { t } = useI18n();
  const w = useShellWords();
  const devicesQuery = useDevices();
  const devices = devicesQuery.data ?? NO_DEVICES;
  const fingerprint = useStatusFingerprint(devices);
  const health = useVillageHealth(fingerprint);
  const feed = useFeed(fingerprint);
  useFeedPush();
  const now = useNow(30_000);
  const groups = useMemo(() => groupProblems(devices, health.data), [devices, health.data]);

  return (
    <main className="content home" data-testid="home-page">
      <h2 className="visually-hidden">{w.home.title}</h2>
      <HomeSearch />
      {devicesQuery.isPending && <p className="notice">{t.list.loading}</p>}
      {devicesQuery.isError && devices.length === 0 && (
        <p className="notice notice-error">
          {t.list.loadError}: {devicesQuery.error.message}
        </p>
      )}
      {devicesQuery.isSuccess && <ProblemsList groups={groups} now={now} />}
      {devices.length > 0 && <KindHealth devices={devices} />}
      <FeedList
        items={feed.data?.items ?? []}
        truncated={feed.data?.truncated ?? false}
        isError={feed.isError && !feed.data}
        now={now}
      />
    </main>
  );
}
