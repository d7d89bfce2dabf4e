import { QrImage } from '../../public-status/index.ts';
import { agentCommand } from '../agentCommand.ts';
import { useMqttPort } from '../api/queries.ts';
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
  const port = useMqttPort();
  const command = agentCommand({
    host: window.location.hostname,
    mqttPort: port.data ?? 1883,
    id,
    kind,
    secret,
  });
  return (
    <section className="mg-secret" aria-labelledby="mg-secret-title" data-testid="secret-reveal">
      <h3 id="mg-secret-title">Khoá bí mật của thiết bị {id}</h3>
      <p className="mg-warn" role="alert">
        Khoá chỉ hiện <strong>một lần</strong>. Hãy sao chép hoặc quét mã QR ngay; đóng khung này là không xem
        lại được (chỉ có thể cấp khoá mới).
      </p>
      <p className="mg-label">Khoá bí mật</p>
      <div className="mg-code-row">
        <code data-testid="device-secret">{secret}</code>
        <CopyButton text={secret} label="Sao chép khoá" testId="copy-secret" />
      </div>
      <p className="mg-label">Lệnh kết nối thiết bị (chạy trên máy đặt tại điểm)</p>
      <div className="mg-code-row">
        <code data-testid="agent-command">{port.isSuccess ? command : 'Đang lấy cổng kết nối…'}</code>
        {port.isSuccess && <CopyButton text={command} label="Sao chép lệnh" testId="copy-command" />}
      </div>
      {port.isSuccess && <QrImage text={command} label={`Mã QR của lệnh kết nối thiết bị ${id}`} />}
      <button type="button" onClick={onDone} data-testid="secret-done">
        Tôi đã lưu khoá, đóng lại
      </button>
    </section>
  );
}
