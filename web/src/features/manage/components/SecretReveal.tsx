import { useManageWords } from '../../../i18n/manage.ts';
import { QrImage } from '../../public-status/index.ts';
import { AGENT_CA_PATH, agentCommand, brokerUsesTls } from '../agentCommand.ts';
import { useBrokerUrlForDevices } from '../api/queries.ts';
import { CopyButton } from './CopyButton.tsx';

/**
 * A device's new secret, shown this once (the hub keeps only its hash), with the command that connects
 * the device and that command as a QR code, to scan onto the machine being installed.
 */
export function SecretReveal({
  id,
  kind,
  secret,
  onDone,
}: {
  id: string;
  kind: string;
  secret: string;
  onDone: () => void;
}) {
  const w = useManageWords().secret;
  const broker = useBrokerUrlForDevices();
  const command = broker.isSuccess ? agentCommand({ hub: broker.data, id, kind, secret }) : '';
  return (
    <section className="mg-secret" aria-labelledby="mg-secret-title" data-testid="secret-reveal">
      <h3 id="mg-secret-title">{w.title(id)}</h3>
      <p className="mg-warn" role="alert">
        {w.onceBefore}
        <strong>{w.once}</strong>
        {w.onceAfter}
      </p>
      <p className="mg-label">{w.secret}</p>
      <div className="mg-code-row">
        <code data-testid="device-secret">{secret}</code>
        <CopyButton text={secret} label={w.copySecret} testId="copy-secret" />
      </div>
      <p className="mg-label">{w.command}</p>
      <div className="mg-code-row">
        <code data-testid="agent-command">{command || w.loadingCommand}</code>
        {command && <CopyButton text={command} label={w.copyCommand} testId="copy-command" />}
      </div>
      {broker.isSuccess && brokerUsesTls(broker.data) && (
        <p className="mg-muted" data-testid="agent-ca-hint">
          {w.caHint(AGENT_CA_PATH)}
        </p>
      )}
      {command && <QrImage text={command} label={w.qr(id)} />}
      <button type="button" onClick={onDone} data-testid="secret-done">
        {w.done}
      </button>
    </section>
  );
}
