import type { DeviceView } from '@commune-hub/protocol';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { groupDevices, type ListRow } from '../grouping.ts';
import { DeviceRow } from './DeviceRow.tsx';

interface DeviceListProps {
  devices: readonly DeviceView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

const ESTIMATED_HEIGHT: Record<ListRow['type'], number> = { village: 60, kind: 44, device: 72 };

/**
 * Devices grouped by village and kind, virtualized against the window scroll (natural on phones):
 * only the rows on screen exist in the DOM, so 10,000 devices cost what 30 do.
 */
export function DeviceList({ devices, selectedId, onSelect }: DeviceListProps) {
  const { t } = useI18n();
  const now = useNow();
  const rows = useMemo(() => groupDevices(devices), [devices]);
  const listRef = useRef<HTMLUListElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);

  // The list starts below the summary and filters, whose height changes with data and language.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const top = el.getBoundingClientRect().top + window.scrollY;
    if (Math.abs(top - scrollMargin) > 0.5) setScrollMargin(top);
  });

  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (i) => ESTIMATED_HEIGHT[rows[i]!.type],
    getItemKey: (i) => rows[i]!.key,
    overscan: 10,
    scrollMargin,
  });

  const items = virtualizer.getVirtualItems();
  return (
    <ul
      ref={listRef}
      className="device-list"
      style={{ height: virtualizer.getTotalSize() }}
      data-testid="device-list"
    >
      {items.map((item) => {
        const row = rows[item.index]!;
        return (
          <li
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            className={`list-row list-row-${row.type}`}
            style={{ transform: `translateY(${item.start - scrollMargin}px)` }}
          >
            {row.type === 'village' && (
              <h2 className="village-header">
                <span className="village-name">{row.village}</span>
                <span className="group-count">{t.list.villageWorking(row.working, row.total)}</span>
              </h2>
            )}
            {row.type === 'kind' && (
              <h3 className="kind-header">
                <span>{t.kinds[row.kind]}</span>
                <span className="group-count">
                  {row.working}/{row.total}
                </span>
              </h3>
            )}
            {row.type === 'device' && (
              <DeviceRow
                device={row.device}
                now={now}
                selected={row.device.id === selectedId}
                onSelect={onSelect}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
