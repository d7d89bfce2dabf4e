import type { DeviceView } from '@commune-hub/protocol';
import { useDeferredValue, useMemo, useState } from 'react';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useDevices } from '../../devices/index.ts';
import { useRotateSecret, useUpdateDevice } from '../api/queries.ts';
import { hubErrorText } from '../errors.ts';
import { SecretReveal } from './SecretReveal.tsx';

const SHOWN = 100;

/** Rename / move / re-time one device in place. */
function EditRow({ device, onClose }: { device: DeviceView; onClose: () => void }) {
  const update = useUpdateDevice();
  const [name, setName] = useState(device.name);
  const [village, setVillage] = useState(device.village);
  const [intervalS, setIntervalS] = useState(String(device.intervalS));
  return (
    <form
      className="mg-edit"
      data-testid="device-edit"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(
          {
            id: device.id,
            body: { name: name.trim(), village: village.trim(), intervalS: Number(intervalS) },
          },
          { onSuccess: onClose },
        );
      }}
    >
      <label>
        Tên hiển thị
        <input name="name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Thôn
        <input
          name="village"
          required
          maxLength={200}
          value={village}
          onChange={(e) => setVillage(e.target.value)}
          list="mg-villages"
        />
      </label>
      <label>
        Chu kỳ (giây)
        <input
          name="intervalS"
          type="number"
          min={1}
          max={86400}
          value={intervalS}
          onChange={(e) => setIntervalS(e.target.value)}
        />
      </label>
      {update.isError && (
        <p className="notice notice-error" role="alert" data-testid="manage-error">
          {hubErrorText(update.error)}
        </p>
      )}
      <div className="mg-actions">
        <button type="submit" disabled={update.isPending}>
          Lưu
        </button>
        <button type="button" className="mg-secondary" onClick={onClose}>
          Huỷ
        </button>
      </div>
    </form>
  );
}

/** Every device with what an official may change: edit, disable/enable, issue a new secret. */
export function DeviceTable() {
  const { t } = useI18n();
  // The live list (kept current by the socket): a device just connected turns online here by itself.
  const devices = useDevices();
  const update = useUpdateDevice();
  const rotate = useRotateSecret();
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<{ id: string; kind: string; secret: string } | null>(null);
  const q = useDeferredValue(search.trim().toLocaleLowerCase('vi'));
  const shown = useMemo(
    () =>
      (devices.data ?? [])
        .filter((d) => !q || `${d.id} ${d.name} ${d.village}`.toLocaleLowerCase('vi').includes(q))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    [devices.data, q],
  );
  const failed = update.error ?? rotate.error;

  return (
    <section className="mg-section" aria-labelledby="mg-devices-title">
      <h3 id="mg-devices-title">Danh sách thiết bị</h3>
      {revealed && <SecretReveal {...revealed} onDone={() => setRevealed(null)} />}
      <label className="mg-search">
        Tìm thiết bị
        <input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Tên, mã hoặc thôn…"
        />
      </label>
      {failed && (
        <p className="notice notice-error" role="alert" data-testid="manage-error">
          {hubErrorText(failed)}
        </p>
      )}
      {devices.isError && <p className="notice notice-error">{hubErrorText(devices.error)}</p>}
      <ul className="mg-device-list">
        {shown.slice(0, SHOWN).map((d) => (
          <li key={d.id} className="mg-device" data-testid="manage-device" data-device-id={d.id}>
            <div className="mg-device-head">
              <strong>{d.name}</strong>
              <span className="mg-muted">
                {d.id} · {t.kinds[d.kind]} · {d.village}
              </span>
              <span data-testid="manage-status" data-status={d.status}>
                {d.disabled ? t.reasons.disabled : <StatusBadge status={d.status} />}
              </span>
            </div>
            {editing === d.id ? (
              <EditRow device={d} onClose={() => setEditing(null)} />
            ) : (
              <div className="mg-actions">
                <button type="button" className="mg-secondary" onClick={() => setEditing(d.id)}>
                  Sửa
                </button>
                <button
                  type="button"
                  className="mg-secondary"
                  onClick={() => update.mutate({ id: d.id, body: { disabled: !d.disabled } })}
                >
                  {d.disabled ? 'Cho hoạt động lại' : 'Ngừng sử dụng'}
                </button>
                <button
                  type="button"
                  className="mg-secondary"
                  onClick={() => {
                    if (!window.confirm(`Cấp khoá mới cho ${d.name}? Khoá cũ ngừng hoạt động ngay.`)) return;
                    rotate.mutate(d.id, {
                      onSuccess: (c) => setRevealed({ id: c.id, kind: d.kind, secret: c.secret }),
                    });
                  }}
                >
                  Cấp khoá mới
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {shown.length > SHOWN && (
        <p className="mg-muted">
          Hiện {SHOWN.toLocaleString('vi-VN')} / {shown.length.toLocaleString('vi-VN')} thiết bị: gõ để tìm
          thiết bị khác.
        </p>
      )}
    </section>
  );
}
