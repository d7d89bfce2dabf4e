import { DEVICE_KINDS, type DeviceView } from '@commune-hub/protocol';
import { Link } from 'react-router';
import { devicePath } from '../../../app/paths.ts';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { faultLabel, formatDuration, formatTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useVillageWords } from '../words.ts';

const PROBLEM_FIRST: Record<string, number> = {
  offline: 0,
  degraded: 1,
  unknown: 2,
  maintenance: 3,
  online: 4,
};
const byName = new Intl.Collator('vi', { numeric: true }).compare;

/** A village's devices by kind, problems first within each kind, each with its status since when. */
export function VillageDevices({ devices, now }: { devices: readonly DeviceView[]; now: number }) {
  const { t } = useI18n();
  const w = useVillageWords();
  const kinds = DEVICE_KINDS.filter((k) => devices.some((d) => d.kind === k));
  return (
    <section className="village-devices" aria-labelledby="village-devices-title">
      <h3 id="village-devices-title">{w.devices}</h3>
      {kinds.map((kind) => (
        <div key={kind} className="village-kind">
          <h4>{t.kinds[kind]}</h4>
          <ul>
            {devices
              .filter((d) => d.kind === kind)
              .sort(
                (a, b) =>
                  (PROBLEM_FIRST[a.status] ?? 9) - (PROBLEM_FIRST[b.status] ?? 9) || byName(a.name, b.name),
              )
              .map((d) => (
                <li
                  key={d.id}
                  className={`village-device status-${d.status}`}
                  data-testid={`village-device-${d.id}`}
                >
                  <Link to={devicePath(d.id)}>{d.name}</Link>
                  <StatusBadge status={d.status} />
                  <span className="muted">
                    {w.since(
                      formatTime(t, d.since),
                      formatDuration(t, Math.max(0, now - Date.parse(d.since)) / 1000),
                    )}
                  </span>
                  {d.faults.length > 0 && (
                    <span className="village-faults">
                      ⚠ {d.faults.map((f) => faultLabel(t, f)).join('; ')}
                    </span>
                  )}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
