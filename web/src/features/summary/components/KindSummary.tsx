import type { DeviceKind, DeviceView } from '@commune-hub/protocol';
import { memo, useMemo } from 'react';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import {
  countStatuses,
  isWorking,
  type KindCount,
  STATUS_DISPLAY_ORDER,
  type StatusCounts,
  summarizeByKind,
} from '../summarize.ts';

interface KindSummaryProps {
  devices: readonly DeviceView[];
  activeKind: DeviceKind | null;
  onSelectKind: (kind: DeviceKind | null) => void;
}

/** One card per device kind: how many work out of how many, and the count of each status. */
export const KindSummary = memo(function KindSummary({
  devices,
  activeKind,
  onSelectKind,
}: KindSummaryProps) {
  const { t } = useI18n();
  const kinds = useMemo(() => summarizeByKind(devices), [devices]);
  const all = useMemo(() => {
    const byStatus = countStatuses(devices);
    return { total: devices.length, working: devices.filter((d) => isWorking(d.status)).length, byStatus };
  }, [devices]);

  return (
    <section className="summary" aria-label={t.summary.title}>
      <SummaryCard
        testId="kind-card-all"
        title={t.summary.allDevices}
        count={all}
        active={activeKind === null}
        onClick={() => onSelectKind(null)}
        wide
      />
      {kinds.map((k) => (
        <SummaryCard
          key={k.kind}
          testId={`kind-card-${k.kind}`}
          title={t.kinds[k.kind]}
          count={k}
          active={activeKind === k.kind}
          onClick={() => onSelectKind(activeKind === k.kind ? null : k.kind)}
        />
      ))}
    </section>
  );
});

interface SummaryCardProps {
  testId: string;
  title: string;
  count: Pick<KindCount, 'total' | 'working'> & { byStatus: StatusCounts };
  active: boolean;
  onClick: () => void;
  wide?: boolean;
}

function SummaryCard({ testId, title, count, active, onClick, wide }: SummaryCardProps) {
  const { t } = useI18n();
  const ratio = count.total === 0 ? 0 : count.working / count.total;
  const tone = count.total === 0 ? 'none' : ratio === 1 ? 'good' : ratio >= 0.8 ? 'warn' : 'bad';
  return (
    <button
      type="button"
      className={`card card-${tone}${active ? ' card-active' : ''}${wide ? ' card-wide' : ''}`}
      aria-pressed={active}
      data-testid={testId}
      data-working={count.working}
      data-total={count.total}
      onClick={onClick}
    >
      <span className="card-title">{title}</span>
      <span className="card-figure">
        <strong>{count.working}</strong>
        <span className="card-total">/{count.total}</span>
        <span className="card-caption">{t.summary.working}</span>
      </span>
      <span className="card-bar" aria-hidden="true">
        {STATUS_DISPLAY_ORDER.map((s) =>
          count.byStatus[s] > 0 ? (
            <span key={s} className={`card-bar-part status-${s}`} style={{ flexGrow: count.byStatus[s] }} />
          ) : null,
        )}
      </span>
      <span className="card-statuses">
        {STATUS_DISPLAY_ORDER.map((s) =>
          count.byStatus[s] > 0 ? <StatusBadge key={s} status={s} count={count.byStatus[s]} /> : null,
        )}
      </span>
    </button>
  );
}
