import type { CriterionResult, EvidenceDevice } from '@commune-hub/protocol';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { formatNumber, formatPercent, formatVnDateTime } from '../format.ts';
import { useCriteriaI18n } from '../i18n.ts';
import { AssessmentBadge } from './AssessmentBadge.tsx';

export type EvidenceTab = 'counted' | 'notCounted' | 'coverage';

interface EvidencePanelProps {
  row: CriterionResult;
  tab: EvidenceTab;
  onTab: (tab: EvidenceTab) => void;
  onClose: () => void;
}

/** The devices behind a number: counted and not counted (with why), and the coverage units. */
export function EvidencePanel({ row, tab, onTab, onClose }: EvidencePanelProps) {
  const { c, t } = useCriteriaI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const { counted, notCounted, coverage } = row.evidence;
  const tabs: [EvidenceTab, string, number][] = [
    ['counted', c.evidence.counted, counted.length],
    ['notCounted', c.evidence.notCounted, notCounted.length],
  ];
  if (coverage.length > 0) tabs.push(['coverage', c.evidence.coverage, coverage.length]);
  const shown = tab === 'coverage' && coverage.length === 0 ? 'counted' : tab;

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape closes a native dialog; the backdrop click is a mouse shortcut.
    <dialog
      ref={dialogRef}
      className="detail evidence-panel"
      aria-label={c.evidence.title(row.code)}
      data-testid="evidence-panel"
      onClose={onClose}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="detail-inner evidence-inner">
        <header className="detail-header">
          <div className="detail-title">
            <h2>{c.evidence.title(row.code)}</h2>
            <AssessmentBadge assessment={row.assessment} />
          </div>
          <button type="button" className="close-button" onClick={onClose}>
            <span aria-hidden="true">✕</span> {t.detail.close}
          </button>
        </header>
        <p className="evidence-name">{row.name_vi}</p>
        <p className="evidence-result">
          <strong data-testid="evidence-result">{row.result || c.noResult}</strong> · {c.target}: {row.target}
        </p>
        {row.measured?.minUptimePercent != null && (
          <p className="muted">
            {c.evidence.minUptime(formatNumber(t.locale, row.measured.minUptimePercent, 2))}
          </p>
        )}
        {row.evidenceText && <p className="evidence-text">{row.evidenceText}</p>}
        <div className="evidence-tabs" role="tablist">
          {tabs.map(([key, label, n]) => (
            <button
              key={key}
              type="button"
              role="tab"
              aria-selected={shown === key}
              className="evidence-tab"
              data-testid={`evidence-tab-${key}`}
              onClick={() => onTab(key)}
            >
              {label} <span className="tab-count">{n}</span>
            </button>
          ))}
        </div>
        {shown === 'coverage' ? (
          <ul className="coverage-list" data-testid="coverage-list">
            {coverage.map((u) => (
              <li key={`${u.unit}:${u.id}`} className={u.covered ? 'covered' : 'not-covered'}>
                <strong>{u.name}</strong>
                {u.formerCommune && <span className="muted"> · {u.formerCommune}</span>}
                <span className="coverage-state">
                  {u.covered ? `✓ ${c.evidence.covered}` : `✕ ${c.evidence.notCovered}`} ({u.devices.length})
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <EvidenceList devices={shown === 'counted' ? counted : notCounted} />
        )}
      </div>
    </dialog>
  );
}

/** Virtualised like the device list: a commune's 300 cameras cost what 10 do. */
function EvidenceList({ devices }: { devices: readonly EvidenceDevice[] }) {
  const { c, t } = useCriteriaI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: devices.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 112,
    getItemKey: (i) => devices[i]!.id,
    overscan: 6,
  });
  if (devices.length === 0) return <p className="muted">{c.evidence.empty}</p>;
  return (
    <div ref={scrollRef} className="evidence-scroll" data-testid="evidence-list">
      <ul style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const d = devices[item.index]!;
          return (
            <li
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className={`evidence-row ${d.counted ? 'is-counted' : 'is-not-counted'}`}
              data-testid={`evidence-${d.id}`}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <div className="evidence-row-head">
                <strong className="evidence-device">{d.name}</strong>
                <span className="evidence-uptime">{formatPercent(t.locale, d.uptimePercent)}</span>
              </div>
              <div className="evidence-meta">
                {t.kinds[d.kind]} · {c.evidence.village}: {d.village}
                {d.formerCommune && ` · ${c.evidence.formerCommune}: ${d.formerCommune}`}
              </div>
              <div className="evidence-meta">
                {c.evidence.site}: {d.site ?? c.evidence.noSite}
                {d.locationType && ` (${c.locationTypes[d.locationType]})`}
              </div>
              <div className="evidence-meta">
                {c.evidence.firstSeen}: {formatVnDateTime(t.locale, d.firstSeen)} · {c.evidence.lastSeen}:{' '}
                {formatVnDateTime(t.locale, d.lastSeen)}
              </div>
              {!d.counted && d.reasonLabel && (
                <div className="evidence-reason">
                  {c.evidence.reason}: {d.reasonLabel}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
