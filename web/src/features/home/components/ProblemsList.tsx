import type { DeviceView } from '@commune-hub/protocol';
import { Link } from 'react-router';
import { devicePath, villagePath } from '../../../app/paths.ts';
import { formatDuration } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useShellWords } from '../../../i18n/shell.ts';
import type { ProblemGroup } from '../problems.ts';
import { clockOf } from './sinceText.ts';

function ProblemDevice({ device, now }: { device: DeviceView; now: number }) {
  const { t } = useI18n();
  const w = useShellWords();
  const clock = clockOf(t, device.since, now);
  const duration = formatDuration(t, Math.max(0, now - Date.parse(device.since)) / 1000);
  const text =
    device.status === 'offline' ? w.home.downSince(clock, duration) : w.home.degradedSince(clock, duration);
  return (
    <li className={`problem problem-${device.status}`} data-testid={`problem-${device.id}`}>
      <Link to={devicePath(device.id)} className="problem-name">
        {device.name}
      </Link>
      <span className="problem-kind">{t.kinds[device.kind]}</span>
      <span className="problem-since">{text}</span>
    </li>
  );
}

/** Offline and degraded devices now, by village; a village-wide cut is named ("nghi mất điện"). */
export function ProblemsList({ groups, now }: { groups: ProblemGroup[]; now: number }) {
  const w = useShellWords();
  const count = groups.reduce((n, g) => n + g.devices.length, 0);
  return (
    <section className="home-card problems" aria-labelledby="problems-title" data-testid="problems">
      <h2 id="problems-title">
        {w.home.problems}
        {count > 0 && <span className="problems-count"> · {w.home.problemCount(count)}</span>}
      </h2>
      {groups.length === 0 ? (
        <p className="all-good">{w.home.noProblems}</p>
      ) : (
        <ol className="problem-villages">
          {groups.map((g) => (
            <li
              key={g.villageId}
              className="problem-village"
              data-testid={`problem-village-${g.villageId}`}
              data-outage={g.outage?.cause ?? ''}
            >
              <h3>
                <Link to={villagePath(g.villageId)}>{g.village || w.home.noVillage}</Link>
                {g.outage && (
                  <span className={`outage-label outage-${g.outage.cause}`} data-testid="outage-label">
                    {g.outage.cause === 'power_cut' ? w.home.powerCut : w.home.networkCut}
                  </span>
                )}
              </h3>
              <ul className="problem-devices">
                {g.devices.map((d) => (
                  <ProblemDevice key={d.id} device={d} now={now} />
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
