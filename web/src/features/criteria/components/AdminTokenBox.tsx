import { useState } from 'react';
import { useManageI18n } from '../manage-i18n.ts';

interface AdminTokenBoxProps {
  token: string | null;
  onToken: (token: string | null) => void;
}

/** Asks for the admin token once per browser tab (writes need it until users and roles land). */
export function AdminTokenBox({ token, onToken }: AdminTokenBoxProps) {
  const { m } = useManageI18n();
  const [draft, setDraft] = useState('');
  if (token) {
    return (
      <p className="token-box token-set" data-testid="admin-token-set">
        {m.tokenSet}{' '}
        <button type="button" className="link-button" onClick={() => onToken(null)}>
          {m.tokenForget}
        </button>
      </p>
    );
  }
  return (
    <form
      className="token-box"
      data-testid="admin-token-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (draft.trim()) onToken(draft.trim());
        setDraft('');
      }}
    >
      <label className="field">
        <span>{m.tokenTitle}</span>
        <input
          type="password"
          autoComplete="off"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="admin-token"
        />
      </label>
      <button type="submit" className="primary-button">
        {m.tokenSave}
      </button>
      <p className="muted">{m.tokenHint}</p>
    </form>
  );
}
