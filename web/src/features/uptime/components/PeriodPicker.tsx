import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { type Period, periodContaining, periodLabel, shiftPeriod } from '../../criteria/index.ts';
import { UPTIME_PERIOD_KINDS, type UptimePeriodKind } from '../urlState.ts';
import { useUptimeWords } from '../words.ts';

/** How many periods of each kind the list offers, ending with the current one. */
const OFFERED: Record<UptimePeriodKind, number> = { month: 24, quarter: 12, year: 5 };

/** Month, quarter or year, then which one; "Kỳ trước"/"Kỳ sau" step through them. */
export function PeriodPicker({
  period,
  now,
  onPick,
}: {
  period: Period;
  now: number;
  onPick: (key: string) => void;
}) {
  const { lang } = useI18n();
  const w = useUptimeWords();
  const kind = period.kind as UptimePeriodKind;
  const current = periodContaining(kind, now);
  const options: Period[] = [];
  for (let p = current, i = 0; i < OFFERED[kind]; i++, p = shiftPeriod(p, -1)) options.push(p);
  if (!options.some((p) => p.key === period.key)) options.push(period);
  const next = shiftPeriod(period, 1);

  return (
    <fieldset className="period-picker">
      <legend>{w.period}</legend>
      <div className="period-kinds">
        {UPTIME_PERIOD_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            aria-pressed={k === kind}
            data-testid={`period-kind-${k}`}
            onClick={() => onPick(periodContaining(k, Math.min(now, period.to - 1)).key)}
          >
            {w.periodKinds[k]}
          </button>
        ))}
      </div>
      <div className="period-step">
        <button type="button" onClick={() => onPick(shiftPeriod(period, -1).key)}>
          ‹ {w.previous}
        </button>
        <select
          aria-label={w.period}
          data-testid="period-select"
          value={period.key}
          onChange={(e) => onPick(e.target.value)}
        >
          {options.map((p) => (
            <option key={p.key} value={p.key}>
              {periodLabel(p, lang)}
            </option>
          ))}
        </select>
        <button type="button" disabled={next.from > now} onClick={() => onPick(next.key)}>
          {w.next} ›
        </button>
      </div>
    </fieldset>
  );
}
