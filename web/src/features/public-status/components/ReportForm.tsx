import type { PublicDeviceStatus } from '@commune-hub/protocol';
import { useId, useState } from 'react';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useSendReport } from '../api/publicApi.ts';
import { reportErrorText, usePublicWords } from '../words.ts';

const MAX = 1000;

/** A citizen's problem report: a few words, optionally about one device. No login, no address kept. */
export function ReportForm({
  group,
  devices,
  fixedToken,
}: {
  group: string;
  devices: PublicDeviceStatus[];
  fixedToken?: string;
}) {
  const { t } = useI18n();
  const words = usePublicWords();
  const W = words.report;
  const [text, setText] = useState('');
  const [token, setToken] = useState(fixedToken ?? '');
  const [tooShort, setTooShort] = useState(false);
  const send = useSendReport(group);
  const id = useId();

  return (
    <section className="ps-report" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{W.title}</h2>
      <p>{W.intro}</p>
      {send.isSuccess ? (
        <p className="ps-sent" role="status" data-testid="report-sent">
          {W.sent}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const trimmed = text.trim();
            setTooShort(trimmed.length < 3);
            if (trimmed.length < 3) return;
            send.mutate({ text: trimmed, ...(token && { deviceToken: token }) });
          }}
        >
          {!fixedToken && devices.length > 0 && (
            <label>
              {W.device}
              <select value={token} onChange={(e) => setToken(e.target.value)} name="deviceToken">
                <option value="">{W.anyDevice}</option>
                {devices.map((d) => (
                  <option key={d.token} value={d.token}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {W.text}
            <textarea
              name="text"
              rows={4}
              maxLength={MAX}
              value={text}
              placeholder={W.placeholder}
              onChange={(e) => setText(e.target.value)}
              aria-describedby={`${id}-count`}
            />
          </label>
          <p id={`${id}-count`} className="ps-count">
            {text.length}/{MAX.toLocaleString(t.locale)}
          </p>
          {tooShort && (
            <p className="ps-error" role="alert">
              {W.tooShort}
            </p>
          )}
          {send.isError && (
            <p className="ps-error" role="alert" data-testid="report-error">
              {reportErrorText(send.error, words)}
            </p>
          )}
          <button type="submit" disabled={send.isPending}>
            {send.isPending ? W.sending : W.send}
          </button>
          <p className="ps-privacy">{W.privacy}</p>
        </form>
      )}
    </section>
  );
}
