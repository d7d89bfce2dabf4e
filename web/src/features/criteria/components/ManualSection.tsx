import type { CriterionResult, ManualEntry, ManualValue, ManualValueType } from '@commune-hub/protocol';
import type { HubClient } from '@commune-hub/protocol/client';
import { useMemo, useState } from 'react';
import { useCriteriaSet, useManualEntries } from '../api/queries.ts';
import { formatVnDateTime } from '../format.ts';
import { useManageI18n } from '../manage-i18n.ts';
import { AssessmentBadge } from './AssessmentBadge.tsx';
import { ManualEntryForm } from './ManualEntryForm.tsx';

interface ManualSectionProps {
  setId: string;
  periodKey: string;
  rows: readonly CriterionResult[];
  /** The admin client; null until the official gave the token (forms stay closed). */
  client: HubClient | null;
  onSaved: () => void;
}

/** What an override of a computed row takes: the criterion's kind decides. */
const OVERRIDE_VALUE_TYPES = {
  presence: 'boolean',
  count: 'number',
  percentage: 'percent',
  threshold: 'number',
} as const satisfies Record<CriterionResult['kind'], ManualValueType>;

function showValue(value: ManualValue, yes: string, no: string, locale: string): string {
  if (typeof value === 'boolean') return value ? yes : no;
  if (typeof value === 'number') return value.toLocaleString(locale);
  return value;
}

/** Who entered it, when, and on what evidence: the audit record beside every manual figure. */
function EntryLine({ entry }: { entry: ManualEntry }) {
  const { m, lang } = useManageI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const doc = [entry.evidence.docNumber, entry.evidence.docDate].filter(Boolean).join(', ');
  return (
    <span className="entry-line muted">
      {m.enteredBy(entry.by, formatVnDateTime(locale, entry.at))}
      {doc && ` · ${doc}`}
      {entry.evidence.text && ` · ${entry.evidence.text}`}
      {entry.evidence.link && (
        <>
          {' · '}
          <a href={entry.evidence.link} target="_blank" rel="noreferrer noopener">
            {m.link}
          </a>
        </>
      )}
    </span>
  );
}

/**
 * "Nhập số liệu": the rule inputs (e.g. Số CBCC for 4.3), the criteria entered by hand, and overrides of
 * computed results (shown beside the computed value, never replacing it silently). One form open at a time.
 */
export function ManualSection({ setId, periodKey, rows, client, onSaved }: ManualSectionProps) {
  const { m, lang } = useManageI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const setFile = useCriteriaSet(setId);
  const entries = useManualEntries(setId, periodKey);
  const [open, setOpen] = useState<string | null>(null);

  const inForce = useMemo(() => {
    const latest = new Map<string, ManualEntry>();
    for (const e of entries.data ?? []) {
      if (e.withdrawnAt) continue;
      const key = `${e.type}:${e.target}`;
      const seen = latest.get(key);
      if (!seen || e.id > seen.id) latest.set(key, e);
    }
    return latest;
  }, [entries.data]);
  const byCode = useMemo(() => new Map(rows.map((r) => [r.code, r])), [rows]);
  const manualCriteria = (setFile.data?.criteria ?? []).filter((d) => d.manual);
  // Overridable: rows computed by a rule alone (a partial row's value is entered by hand anyway).
  const measured = rows.filter((r) => r.source === 'rule' || r.source === 'override');

  const toggle = (key: string) => setOpen((o) => (o === key ? null : key));
  const enterButton = (key: string, label: string) => (
    <button
      type="button"
      className="secondary-button"
      disabled={!client}
      aria-expanded={open === key}
      onClick={() => toggle(key)}
      data-testid={`enter-${key}`}
    >
      {label}
    </button>
  );
  const form = (
    key: string,
    props: Omit<
      Parameters<typeof ManualEntryForm>[0],
      'client' | 'setId' | 'periodKey' | 'onSaved' | 'onCancel'
    >,
  ) =>
    open === key && client ? (
      <ManualEntryForm
        {...props}
        client={client}
        setId={setId}
        periodKey={periodKey}
        onSaved={() => {
          setOpen(null);
          onSaved();
        }}
        onCancel={() => setOpen(null)}
      />
    ) : null;

  return (
    <section
      className="criteria-section manual-section"
      aria-label={m.manualTitle}
      data-testid="manual-section"
    >
      <h2 className="section-title">{m.manualTitle}</h2>
      <p className="muted">{m.manualIntro}</p>

      {(setFile.data?.inputs ?? []).length > 0 && (
        <>
          <h3>{m.inputsTitle}</h3>
          <ul className="manual-list">
            {(setFile.data?.inputs ?? []).map((input) => {
              const key = `input-${input.key}`;
              const entry = inForce.get(`input:${input.key}`);
              return (
                <li key={key} data-testid={`manual-${key}`}>
                  <div className="manual-head">
                    <span className="manual-name">{input.name_vi}</span>
                    <strong className="manual-value" data-testid={`value-${key}`}>
                      {entry ? `${showValue(entry.value, m.yes, m.no, locale)} ${input.unit}` : m.none}
                    </strong>
                    {enterButton(key, m.enter)}
                  </div>
                  {entry && <EntryLine entry={entry} />}
                  {form(key, {
                    type: 'input',
                    target: input.key,
                    valueType: input.valueType,
                    label: input.name_vi,
                  })}
                </li>
              );
            })}
          </ul>
        </>
      )}

      {manualCriteria.length > 0 && (
        <details className="manual-details">
          <summary>
            {m.manualCriteriaTitle} ({manualCriteria.length})
          </summary>
          <ul className="manual-list">
            {manualCriteria.map((def) => {
              const key = `value-${def.code}`;
              const row = byCode.get(def.code);
              const entry = inForce.get(`value:${def.code}`);
              return (
                <li key={key} data-testid={`manual-${key}`}>
                  <div className="manual-head">
                    <span className="manual-name">
                      <span className="indicator-code">{def.code}</span> {def.name_vi}
                    </span>
                    <strong className="manual-value">{row?.result || m.none}</strong>
                    {row && <AssessmentBadge assessment={row.assessment} />}
                    {enterButton(key, m.enter)}
                  </div>
                  {def.manual?.hint && <span className="muted">{def.manual.hint}</span>}
                  {entry && <EntryLine entry={entry} />}
                  {form(key, {
                    type: 'value',
                    target: def.code,
                    valueType: def.manual!.valueType,
                    label: `${def.code} ${def.name_vi}`,
                  })}
                </li>
              );
            })}
          </ul>
        </details>
      )}

      {measured.length > 0 && (
        <details className="manual-details" open={measured.some((r) => r.override) || undefined}>
          <summary>{m.overridesTitle}</summary>
          <ul className="manual-list">
            {measured.map((row) => {
              const key = `override-${row.code}`;
              const valueType = OVERRIDE_VALUE_TYPES[row.kind];
              return (
                <li key={key} data-testid={`manual-${key}`}>
                  <div className="manual-head">
                    <span className="manual-name">
                      <span className="indicator-code">{row.code}</span> {row.name_vi}
                    </span>
                    {enterButton(key, m.enterOverride)}
                  </div>
                  {row.override ? (
                    <p className="override-pair" data-testid={`override-${row.code}`}>
                      <span>
                        {m.computed}: <strong>{row.override.computedResult}</strong>{' '}
                        <AssessmentBadge assessment={row.override.computedAssessment} />
                      </span>
                      <span>
                        → {row.result} <AssessmentBadge assessment={row.assessment} />
                      </span>
                      <span className="muted">
                        {m.overrideBy(row.override.entry.by, formatVnDateTime(locale, row.override.entry.at))}
                        {row.override.entry.reason && ` · ${row.override.entry.reason}`}
                      </span>
                    </p>
                  ) : (
                    <span className="muted">
                      {m.computed}: {row.result}
                    </span>
                  )}
                  {form(key, {
                    type: 'override',
                    target: row.code,
                    valueType,
                    label: `${row.code} ${row.name_vi}`,
                  })}
                </li>
              );
            })}
          </ul>
        </details>
      )}
    </section>
  );
}
