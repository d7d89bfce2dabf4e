import type { UptimeBucket, UptimeCell } from '@commune-hub/protocol';
import { type KeyboardEvent, memo, useRef, useState } from 'react';
import { formatDate, formatTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { cellState } from '../cells.ts';
import { useUptimeWords } from '../words.ts';
import { describeFigures } from './describe.ts';

interface UptimeBarProps {
  name: string;
  cells: readonly UptimeCell[];
  bucket: UptimeBucket;
}

/**
 * Uptime-Kuma-style bar: one cell per hour or day, coloured by what happened in it. The exact figures of
 * the cell under the pointer or with keyboard focus are written out below the bar (not only in a title,
 * which a keyboard or touch user never sees). One Tab stop per bar; arrow keys, Home and End move.
 * The figures float above the bar, so writing or clearing them never moves what is under the pointer.
 */
export const UptimeBar = memo(function UptimeBar({ name, cells, bucket }: UptimeBarProps) {
  const { t } = useI18n();
  const w = useUptimeWords();
  const [active, setActive] = useState<number | null>(null);
  const [focusIndex, setFocusIndex] = useState(Math.max(0, cells.length - 1));
  const refs = useRef<(HTMLSpanElement | null)[]>([]);

  const when = (c: UptimeCell) =>
    bucket === 'day' ? formatDate(t, c.start) : `${formatTime(t, c.start)} ${formatDate(t, c.start)}`;
  const text = (c: UptimeCell) => `${when(c)}: ${describeFigures(t, w, c)}`;

  const move = (e: KeyboardEvent, index: number) => {
    const to =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? index + 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? cells.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    const next = Math.min(cells.length - 1, Math.max(0, to));
    setFocusIndex(next);
    refs.current[next]?.focus();
  };

  const shown = active === null ? null : cells[active];
  return (
    <div className="uptime-bar-wrap">
      {/* biome-ignore lint/a11y/useSemanticElements: a row of cells is a group of images, not a form (fieldset) */}
      <div className="uptime-bar" role="group" aria-label={w.barLabel(name)}>
        {cells.map((c, i) => (
          <span
            key={c.start}
            ref={(el) => {
              refs.current[i] = el;
            }}
            role="img"
            className={`uptime-cell cell-${cellState(c)}`}
            data-testid="uptime-cell"
            tabIndex={i === focusIndex ? 0 : -1}
            aria-label={text(c)}
            onMouseEnter={() => setActive(i)}
            onFocus={() => {
              setActive(i);
              setFocusIndex(i);
            }}
            onBlur={() => setActive(null)}
            onKeyDown={(e) => move(e, i)}
          />
        ))}
      </div>
      <p className="uptime-bar-tip" aria-hidden="true" data-testid="uptime-bar-tip" hidden={!shown}>
        {shown ? text(shown) : ''}
      </p>
    </div>
  );
});
