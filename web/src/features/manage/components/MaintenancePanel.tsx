import { DEVICE_KINDS, type DeviceKind } from '@commune-hub/protocol';
import { useMemo, useState } from 'react';
import { formatDateTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useDevices } from '../../devices/index.ts';
import {
  useCancelMaintenance,
  useMaintenanceList,
  useScheduleMaintenance,
  useVillages,
} from '../api/queries.ts';
import { hubErrorText } from '../errors.ts';

/** `2026-12-01T08:00` typed as commune time (Asia/Ho_Chi_Minh, UTC+7 all year) → an exact instant. */
export const communeLocalToIso = (local: string) => `${local}:00+07:00`;

type Target = 'device' | 'village' | 'kind';

/**
 * Schedule maintenance (excluded from uptime, and the devices show "Bảo trì" on time) for one device,
 * a whole village or a whole kind; see and cancel what is planned.
 */
export function MaintenancePanel({ canSchedule }: { canSchedule: boolean }) {
  const { t } = useI18n();
  const devices = useDevices();
  const villages = useVillages();
  const list = useMaintenanceList();
  const schedule = useScheduleMaintenance();
  const cancel = useCancelMaintenance();
  const [target, setTarget] = useState<Target>('device');
  const [deviceId, setDeviceId] = useState('');
  const [village, setVillage] = useState('');
  const [kind, setKind] = useState<DeviceKind>('wifi');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const names = useMemo(() => new Map((devices.data ?? []).map((d) => [d.id, d.name])), [devices.data]);
  const failed = schedule.error ?? cancel.error;

  return (
    <section className="mg-section" aria-labelledby="mg-maint-title">
      <h3 id="mg-maint-title">Lịch bảo trì</h3>
      <p className="mg-muted">
        Thời gian bảo trì không tính vào thời gian hoạt động. Giờ theo giờ Việt Nam (GMT+7).
      </p>
      {canSchedule && (
        <form
          className="mg-form"
          data-testid="maintenance-form"
          onSubmit={(e) => {
            e.preventDefault();
            schedule.mutate(
              {
                from: communeLocalToIso(from),
                to: communeLocalToIso(to),
                ...(note.trim() && { note: note.trim() }),
                ...(target === 'device'
                  ? { deviceIds: [deviceId] }
                  : target === 'village'
                    ? { village }
                    : { kind }),
              },
              { onSuccess: () => setNote('') },
            );
          }}
        >
          <fieldset className="mg-radios">
            <legend>Bảo trì cho</legend>
            {(
              [
                ['device', 'Một thiết bị'],
                ['village', 'Cả thôn'],
                ['kind', 'Cả loại thiết bị'],
              ] as const
            ).map(([value, label]) => (
              <label key={value}>
                <input
                  type="radio"
                  name="target"
                  checked={target === value}
                  onChange={() => setTarget(value)}
                />
                {label}
              </label>
            ))}
          </fieldset>
          {target === 'device' && (
            <label>
              Thiết bị
              <select required value={deviceId} onChange={(e) => setDeviceId(e.target.value)} name="deviceId">
                <option value="">— Chọn thiết bị —</option>
                {[...(devices.data ?? [])]
                  .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
                  .map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name} ({d.village})
                    </option>
                  ))}
              </select>
            </label>
          )}
          {target === 'village' && (
            <label>
              Thôn
              <select required value={village} onChange={(e) => setVillage(e.target.value)} name="village">
                <option value="">— Chọn thôn —</option>
                {villages.data?.map((v) => (
                  <option key={v.id} value={v.name}>
                    {v.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {target === 'kind' && (
            <label>
              Loại thiết bị
              <select value={kind} onChange={(e) => setKind(e.target.value as DeviceKind)} name="kind">
                {DEVICE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t.kinds[k]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Bắt đầu
            <input
              type="datetime-local"
              required
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              name="from"
            />
          </label>
          <label>
            Kết thúc
            <input
              type="datetime-local"
              required
              value={to}
              onChange={(e) => setTo(e.target.value)}
              name="to"
            />
          </label>
          <label>
            Ghi chú
            <input maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} name="note" />
          </label>
          {failed && (
            <p className="notice notice-error" role="alert" data-testid="manage-error">
              {hubErrorText(failed)}
            </p>
          )}
          {schedule.isSuccess && (
            <p className="notice" role="status" data-testid="maintenance-saved">
              Đã lên lịch bảo trì cho {schedule.data.length.toLocaleString('vi-VN')} thiết bị.
            </p>
          )}
          <button type="submit" disabled={schedule.isPending}>
            Lên lịch bảo trì
          </button>
        </form>
      )}
      <h4>Đã lên lịch</h4>
      {list.data?.length === 0 && <p className="mg-muted">Chưa có lịch bảo trì nào.</p>}
      <ul className="mg-maint-list">
        {list.data?.map((w) => (
          <li key={w.id} data-testid="maintenance-window">
            <span>
              <strong>{names.get(w.deviceId) ?? w.deviceId}</strong>: {formatDateTime(t, w.from)} →{' '}
              {formatDateTime(t, w.to)}
              {w.note && ` — ${w.note}`}
            </span>
            {canSchedule && (
              <button type="button" className="mg-secondary" onClick={() => cancel.mutate(w.id)}>
                Huỷ lịch
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
