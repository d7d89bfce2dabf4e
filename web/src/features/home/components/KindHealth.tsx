import type { DeviceView } from '@commune-hub/protocol';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { PATHS } from '../../../app/paths.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useShellWords } from '../../../i18n/shell.ts';
import { summarizeByKind } from '../../summary/index.ts';

/**
 * One line per kind: "Camera an ninh 5/6 hoạt động · 1 mất kết nối". On a phone the lines become one
 * compact row of chips (CSS), so the problems list stays on the first screen.
 */
export function KindHealth({ devices }: { devices: readonly DeviceView[] }) {
  const { t } = useI18n();
  const w = useShellWords();
  const kinds = useMemo(() => summarizeByKind(devices), [devices]);
  return (
    <section className="home-card kind-health" aria-labelledby="kinds-title" data-testid="kind-health">
      <h2 id="kinds-title">{w.home.kinds}</h2>
      <ul className="kind-lines">
        {kinds.map((k) => {
          const down = k.byStatus.offline;
          const degraded = k.byStatus.degraded;
          const bad = down > 0 ? 'bad' : degraded > 0 ? 'warn' : 'ok';
          return (
            <li key={k.kind} className={`kind-line kind-${bad}`} data-testid={`kind-line-${k.kind}`}>
              <Link to={`${PATHS.devices}?loai=${k.kind}`}>
                <span className="kind-name">{t.kinds[k.kind]}</span>{' '}
                <span className="kind-count live-number">{w.home.kindLine(k.working, k.total)}</span>
                {down > 0 && <span className="kind-down"> · {w.home.kindDown(down)}</span>}
                {degraded > 0 && <span className="kind-degraded"> · {w.home.kindDegraded(degraded)}</span>}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
