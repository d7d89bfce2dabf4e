import { type DeviceView, PROBE_TYPES, type ProbeTarget, type ProbeType } from '@commune-hub/protocol';
import type { FormEvent } from 'react';
import { useRole } from '../../auth/index.ts';
import { useProbe, useSetProbe } from '../api/useProbe.ts';
import { probeErrorText } from '../errors.ts';
import { PROBE_TYPE_LABELS } from '../labels.ts';

/**
 * Minimal probe form for a gateway child: what the gateway checks, how often, with which account.
 * Passwords are write-only: the form never shows a stored one, and an empty field keeps it.
 */
export function ProbeSection({ device }: { device: DeviceView }) {
  const { isAdmin } = useRole();
  const probe = useProbe(device.id, device.parent !== null && isAdmin);
  const save = useSetProbe(device.id);
  if (device.parent === null) return null;

  if (!isAdmin) {
    return (
      <section className="detail-section">
        <h3>Kiểm tra qua gateway</h3>
        <p className="notice" data-testid="probe-admin-only">
          Chỉ quản trị viên xem và sửa cấu hình kiểm tra.
        </p>
      </section>
    );
  }

  const current = probe.data ?? null;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    const type = text('type') as ProbeType;
    const target: ProbeTarget = { type, address: text('address'), intervalS: Number(text('intervalS')) };
    if (text('port')) target.port = Number(text('port'));
    if (text('path')) target.path = text('path');
    if (text('username')) target.username = text('username');
    if (text('password')) target.password = text('password');
    if (type === 'http' && f.get('tls') === 'on') target.tls = true;
    if (type === 'snmp') {
      target.snmp = { version: text('snmpVersion') === '3' ? '3' : '2c' };
      if (text('community')) target.snmp.community = text('community');
      if (text('snmpUser')) target.snmp.user = text('snmpUser');
      if (text('vendor')) target.snmp.vendor = text('vendor');
    }
    save.mutate(target);
  };
  const t = current?.target;
  return (
    <section className="detail-section" data-testid="probe-section">
      <h3>Kiểm tra qua gateway {device.parent}</h3>
      {probe.isError && <p className="notice notice-error">Không tải được cấu hình: {probe.error.message}</p>}
      <form onSubmit={onSubmit} className="probe-form" key={current?.updatedAt ?? 'new'}>
        <label>
          Cách kiểm tra
          <select name="type" defaultValue={t?.type ?? 'icmp'}>
            {PROBE_TYPES.map((p) => (
              <option key={p} value={p}>
                {PROBE_TYPE_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Địa chỉ IP <input name="address" required defaultValue={t?.address ?? ''} />
        </label>
        <label>
          Cổng <input name="port" inputMode="numeric" defaultValue={t?.port ?? ''} />
        </label>
        <label>
          Đường dẫn <input name="path" defaultValue={t?.path ?? ''} placeholder="/Streaming/Channels/101" />
        </label>
        <label>
          Chu kỳ (giây, tối thiểu 10){' '}
          <input name="intervalS" inputMode="numeric" required defaultValue={t?.intervalS ?? 60} />
        </label>
        <label>
          <input name="tls" type="checkbox" defaultChecked={t?.tls === true} /> HTTPS
        </label>
        <label>
          Tài khoản <input name="username" autoComplete="off" defaultValue={t?.username ?? ''} />
        </label>
        <label>
          Mật khẩu{current?.secretsSet.includes('password') ? ' (đã lưu; để trống để giữ nguyên)' : ''}
          <input name="password" type="password" autoComplete="new-password" />
        </label>
        <fieldset>
          <legend>SNMP</legend>
          <label>
            Phiên bản
            <select name="snmpVersion" defaultValue={current?.snmp?.version ?? '2c'}>
              <option value="2c">v2c</option>
              <option value="3">v3</option>
            </select>
          </label>
          <label>
            Community{current?.secretsSet.includes('community') ? ' (đã lưu)' : ''}
            <input name="community" type="password" autoComplete="off" />
          </label>
          <label>
            Người dùng v3 <input name="snmpUser" defaultValue={current?.snmp?.user ?? ''} />
          </label>
          <label>
            Hãng (bảng mã){' '}
            <input name="vendor" defaultValue={current?.snmp?.vendor ?? ''} placeholder="unifi" />
          </label>
        </fieldset>
        <button type="submit" disabled={save.isPending}>
          Lưu
        </button>
        {save.isError && (
          <p className="notice notice-error" role="alert" data-testid="probe-error">
            {probeErrorText(save.error)}
          </p>
        )}
        {save.isSuccess && (
          <p className="notice" data-testid="probe-saved">
            Đã lưu; gateway sẽ kiểm tra trong chu kỳ tới.
          </p>
        )}
      </form>
    </section>
  );
}
