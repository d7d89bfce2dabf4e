import { Link, useParams } from 'react-router';
import { PATHS } from '../../../app/paths.ts';
import { useNow } from '../../../lib/useNow.ts';
import { useDevices } from '../../devices/index.ts';
import { useCommunes, useVillageHealth } from '../api/useVillages.ts';
import { groupByCommune } from '../order.ts';
import { useVillageWords } from '../words.ts';
import { VillageDevices } from './VillageDevices.tsx';
import { CommuneLine, VillageSummary } from './VillageSummary.tsx';

const NO_DEVICES: never[] = [];

/**
 * "Thôn": every village with its devices working/total, its latest change and, when most of it dropped
 * together, "nghi mất điện" / "nghi mất mạng" (the hub's classifier, the one the alerts use). Villages
 * with a problem come first. `/thon/:placeId` shows one village with its devices.
 */
export function VillagesPage() {
  const w = useVillageWords();
  const { placeId } = useParams();
  const now = useNow();
  const devices = useDevices().data ?? NO_DEVICES;
  const health = useVillageHealth(devices);
  const communes = useCommunes().data ?? [];
  const rows = health.data ?? [];

  if (placeId) {
    const row = rows.find((r) => r.villageId === placeId);
    return (
      <main className="content villages-page" data-testid="village-page">
        <p>
          <Link to={PATHS.villages}>‹ {w.allVillages}</Link>
        </p>
        {health.isPending && <p className="notice">{w.loading}</p>}
        {health.isSuccess && !row && <p className="notice">{w.notFound}</p>}
        {row && (
          <>
            <VillageSummary row={row} communes={communes} now={now} heading="h2" showCommune />
            <p>
              <Link to={`${PATHS.uptime}?thon=${encodeURIComponent(row.village)}`}>{w.uptimeLink}</Link>
            </p>
            <VillageDevices devices={devices.filter((d) => d.villageId === row.villageId)} now={now} />
          </>
        )}
      </main>
    );
  }

  return (
    <main className="content villages-page" data-testid="villages-page">
      <h2>{w.title}</h2>
      <p className="muted">{w.intro}</p>
      {health.isPending && <p className="notice">{w.loading}</p>}
      {health.isError && (
        <p className="notice notice-error">
          {w.loadError}: {health.error.message}
        </p>
      )}
      {health.isSuccess && rows.length === 0 && <p className="notice">{w.none}</p>}
      {groupByCommune(rows).map((group) => (
        <section key={group.communeId ?? ''} className="village-group">
          {/* One commune today has villages of former communes: each group says which one it was. */}
          <h3 className="village-group-title">
            <CommuneLine communes={communes} communeId={group.communeId} />
          </h3>
          <ol className="village-list">
            {group.villages.map((row) => (
              <li key={row.villageId}>
                <VillageSummary row={row} communes={communes} now={now} />
              </li>
            ))}
          </ol>
        </section>
      ))}
    </main>
  );
}
