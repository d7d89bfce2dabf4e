import type { Commune, VillageHealth } from '@commune-hub/protocol';
import { Link } from 'react-router';
import { villagePath } from '../../../app/paths.ts';
import { formatAgo, formatDuration, formatTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { communeOf } from '../order.ts';
import { useVillageWords } from '../words.ts';

/** "Thuộc xã cũ Hoàng Kim (trước sáp nhập 2025, nay là Xã Hoằng Hóa)" or "Xã Hoàng Kim". */
export function CommuneLine({
  communes,
  communeId,
}: {
  communes: readonly Commune[];
  communeId: string | null;
}) {
  const w = useVillageWords();
  const found = communeOf(communes, communeId);
  if (!found) return <span className="muted">{communeId ? null : w.noCommune}</span>;
  return (
    <span className="village-commune" data-testid="village-commune">
      {found.mergedInto
        ? w.formerCommune(found.commune.name, found.mergedInto.name)
        : w.commune(found.commune.name)}
    </span>
  );
}

/** One village: working/total, what is wrong, its outage verdict, its latest change. */
export function VillageSummary({
  row,
  communes,
  now,
  heading = 'h3',
  showCommune = false,
}: {
  row: VillageHealth;
  communes: readonly Commune[];
  now: number;
  heading?: 'h2' | 'h3';
  /** The list groups villages under their commune; the village page names it. */
  showCommune?: boolean;
}) {
  const { t } = useI18n();
  const w = useVillageWords();
  const Heading = heading;
  const ratio = row.total === 0 ? 0 : row.working / row.total;
  const unknown = Math.max(0, row.total - row.working - row.offline - row.degraded - row.maintenance);
  // The card's colour says the worst that is true of it: an outage or a device down, one degraded, or quiet.
  const tone =
    row.outage || row.offline > 0 ? 'bad' : row.degraded > 0 ? 'warn' : unknown > 0 ? 'quiet' : 'good';
  return (
    <div
      className={`village-summary tone-${tone}${row.outage ? ` outage-${row.outage.cause}` : ''}`}
      data-testid={`village-${row.villageId}`}
      data-outage={row.outage?.cause ?? ''}
    >
      <Heading className="village-name">
        {heading === 'h3' ? <Link to={villagePath(row.villageId)}>{row.village}</Link> : row.village}
        {row.outage && (
          <span className={`outage-label outage-${row.outage.cause}`} data-testid="village-outage">
            {row.outage.cause === 'power_cut' ? w.powerCut : w.networkCut}
          </span>
        )}
      </Heading>
      {showCommune && <CommuneLine communes={communes} communeId={row.communeId} />}
      {row.outage && (
        <p className="village-outage-detail">
          {w.outageSince(
            formatTime(t, row.outage.since),
            formatDuration(t, Math.max(0, now - Date.parse(row.outage.since)) / 1000),
          )}
          {' · '}
          {w.outageEvidence[row.outage.evidence]}
        </p>
      )}
      <p className="village-counts">
        <strong data-testid="village-working">{w.working(row.working, row.total)}</strong>
        {row.offline > 0 && <span className="count-offline"> · {w.offline(row.offline)}</span>}
        {row.degraded > 0 && <span className="count-degraded"> · {w.degraded(row.degraded)}</span>}
        {row.maintenance > 0 && (
          <span className="count-maintenance"> · {w.maintenance(row.maintenance)}</span>
        )}
      </p>
      <meter className="village-meter" min={0} max={1} low={0.6} high={0.95} optimum={1} value={ratio}>
        {w.working(row.working, row.total)}
      </meter>
      <p className="muted village-change">
        {w.lastChange}: {row.lastChange ? formatAgo(t, row.lastChange, now) : w.noChange}
      </p>
    </div>
  );
}
