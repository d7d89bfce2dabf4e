import type { Alert } from '@commune-hub/protocol';
import { useState } from 'react';
import { useMute } from '../api/alertsApi.ts';
import { ErrorNote } from './ErrorNote.tsx';

const HOURS = [1, 2, 4, 8, 24, 72];

/**
 * "Tạm tắt báo": mute this device, or the whole village, for a few hours, with who and why
 * (a planned power cut, a repair). Monitoring goes on; only messages stop.
 */
export function MuteForm({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const single = alert.devices.length === 1 ? alert.devices[0] : undefined;
  const [target, setTarget] = useState<'device' | 'village'>(single ? 'device' : 'village');
  const [hours, setHours] = useState(4);
  const [by, setBy] = useState(() => window.localStorage.getItem('hub.ackBy') ?? '');
  const [reason, setReason] = useState('');
  const mute = useMute();
  return (
    <form
      className="ack-form"
      data-testid={`mute-form-${alert.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        const where =
          target === 'device' && single
            ? { deviceId: single.id }
            : { villageId: alert.villageId ?? undefined };
        mute.mutate({ ...where, hours, by, reason }, { onSuccess: onDone });
      }}
    >
      <div className="form-row">
        <label>
          Tạm tắt báo cho
          <select value={target} onChange={(e) => setTarget(e.target.value as 'device' | 'village')}>
            {single && <option value="device">Thiết bị {single.name}</option>}
            {alert.villageId && <option value="village">Cả {alert.village ?? 'thôn'}</option>}
          </select>
        </label>
        <label>
          Trong
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {h} giờ
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Người tắt
        <input required value={by} onChange={(e) => setBy(e.target.value)} />
      </label>
      <label>
        Lý do
        <input
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="Ví dụ: điện lực cắt điện theo lịch"
        />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={mute.isPending}>
          Tạm tắt báo
        </button>
        <button type="button" onClick={onDone}>
          Huỷ
        </button>
      </div>
      <ErrorNote error={mute.error} />
    </form>
  );
}
