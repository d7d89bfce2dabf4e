import type { ManualEntryType, ManualEvidence, ManualValueType } from '@commune-hub/protocol';
import type { HubClient } from '@commune-hub/protocol/client';
import { useState } from 'react';
import { rememberedName, rememberName } from '../api/admin.ts';
import { errorMessage, useManageI18n } from '../manage-i18n.ts';

interface ManualEntryFormProps {
  client: HubClient;
  setId: string;
  periodKey: string;
  type: ManualEntryType;
  /** The criterion code (value, override) or the input key (input). */
  target: string;
  valueType: ManualValueType;
  label: string;
  onSaved: () => void;
  onCancel: () => void;
}

/** "12,5" as a Vietnamese official types it, or "12.5". */
function parseNumber(text: string): number | string {
  const n = Number(text.trim().replace(/\s/g, '').replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/**
 * One manual value with its evidence (text, document number and date, link) and who enters it. The hub
 * keeps every entry (the audit trail); an override also needs its reason.
 */
export function ManualEntryForm(props: ManualEntryFormProps) {
  const { client, setId, periodKey, type, target, valueType, label, onSaved, onCancel } = props;
  const { m } = useManageI18n();
  const [value, setValue] = useState(valueType === 'boolean' ? 'true' : '');
  const [text, setText] = useState('');
  const [docNumber, setDocNumber] = useState('');
  const [docDate, setDocDate] = useState('');
  const [link, setLink] = useState('');
  const [by, setBy] = useState(rememberedName);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = (name: string) => `manual-${type}-${target}-${name}`;

  const submit = async () => {
    if (!text.trim() && !docNumber.trim() && !link.trim()) {
      setError(m.needEvidence);
      return;
    }
    setBusy(true);
    setError(null);
    const evidence: ManualEvidence = {
      ...(text.trim() && { text: text.trim() }),
      ...(docNumber.trim() && { docNumber: docNumber.trim() }),
      ...(docDate && { docDate }),
      ...(link.trim() && { link: link.trim() }),
    };
    const parsed =
      valueType === 'boolean' ? value === 'true' : valueType === 'text' ? value : parseNumber(value);
    try {
      await client.criteriaManualCreate({
        params: { id: setId },
        body: {
          type,
          target,
          period: periodKey,
          value: parsed,
          evidence,
          by: by.trim(),
          ...(type === 'override' && { reason: reason.trim() }),
        },
      });
      rememberName(by.trim());
      onSaved();
    } catch (err) {
      setError(errorMessage(m, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="manual-form"
      data-testid={`manual-form-${target}`}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="field" htmlFor={id('value')}>
        <span>
          {m.value}
          {valueType === 'percent' ? ' (%)' : ''}
        </span>
        {valueType === 'boolean' ? (
          <select id={id('value')} name="value" value={value} onChange={(e) => setValue(e.target.value)}>
            <option value="true">{m.yes}</option>
            <option value="false">{m.no}</option>
          </select>
        ) : (
          <input
            id={id('value')}
            name="value"
            required
            inputMode={valueType === 'text' ? 'text' : 'decimal'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
      </label>
      <label className="field" htmlFor={id('text')}>
        <span>{m.evidenceText}</span>
        <textarea
          id={id('text')}
          name="evidenceText"
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <div className="form-row">
        <label className="field" htmlFor={id('doc')}>
          <span>{m.docNumber}</span>
          <input
            id={id('doc')}
            name="docNumber"
            value={docNumber}
            onChange={(e) => setDocNumber(e.target.value)}
          />
        </label>
        <label className="field" htmlFor={id('date')}>
          <span>{m.docDate}</span>
          <input
            id={id('date')}
            name="docDate"
            type="date"
            value={docDate}
            onChange={(e) => setDocDate(e.target.value)}
          />
        </label>
      </div>
      <label className="field" htmlFor={id('link')}>
        <span>{m.link}</span>
        <input
          id={id('link')}
          name="link"
          type="url"
          value={link}
          onChange={(e) => setLink(e.target.value)}
        />
      </label>
      {type === 'override' && (
        <label className="field" htmlFor={id('reason')}>
          <span>{m.reason}</span>
          <input
            id={id('reason')}
            name="reason"
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      )}
      <label className="field" htmlFor={id('by')}>
        <span>{m.by}</span>
        <input
          id={id('by')}
          name="by"
          required
          autoComplete="name"
          value={by}
          onChange={(e) => setBy(e.target.value)}
        />
      </label>
      {error && (
        <p className="notice notice-error" role="alert" data-testid="manual-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy} data-testid="manual-save">
          {busy ? m.saving : m.save}
        </button>
        <button type="button" className="link-button" onClick={onCancel}>
          {m.cancel}
        </button>
      </div>
    </form>
  );
}
