import {
  DEVICE_KINDS,
  type DeviceKind,
  type PublicGroup,
  type PublicGroupInput,
} from '@commune-hub/protocol';
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { foldVietnamese, useDevices } from '../../devices/index.ts';
import { publicGroupPath, publicPrintPath } from '../../public-status/index.ts';
import { useDeleteGroup, usePublicGroups, useSaveGroup, useVillages } from '../api/queries.ts';
import { hubErrorText } from '../errors.ts';

/** "Wifi công cộng xã Hoàng Kim" → "wifi-cong-cong-xa-hoang-kim": the page's address. */
export const slugOf = (name: string) =>
  foldVietnamese(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');

const toInput = (g: PublicGroup, published: boolean): PublicGroupInput => ({
  slug: g.slug,
  name: g.name,
  ...(g.description && { description: g.description }),
  ...(g.deviceIds ? { deviceIds: g.deviceIds } : { selector: g.selector ?? {} }),
  published,
});

/** Create a group, or change one (`initial`): its name and devices; its address stays. */
function GroupForm({ initial, onDone }: { initial?: PublicGroup; onDone?: () => void }) {
  const { t } = useI18n();
  const villages = useVillages();
  const devices = useDevices();
  const save = useSaveGroup();
  const [name, setName] = useState(initial?.name ?? '');
  const [mode, setMode] = useState<'selector' | 'devices'>(initial?.deviceIds ? 'devices' : 'selector');
  const [kind, setKind] = useState<DeviceKind | ''>(initial ? (initial.selector?.kind ?? '') : 'wifi');
  const [villageId, setVillageId] = useState(initial?.selector?.villageId ?? '');
  const [picked, setPicked] = useState<string[]>(initial?.deviceIds ?? []);
  const [published, setPublished] = useState(initial?.published ?? true);
  const slug = initial?.slug ?? slugOf(name);
  return (
    <form
      className="mg-form"
      data-testid="group-form"
      onSubmit={(e) => {
        e.preventDefault();
        const body: PublicGroupInput = {
          slug,
          name: name.trim(),
          published,
          ...(mode === 'devices'
            ? { deviceIds: picked }
            : { selector: { ...(kind && { kind }), ...(villageId && { villageId }) } }),
        };
        save.mutate(
          { body, isNew: !initial },
          {
            onSuccess: () => {
              if (!initial) setName('');
              onDone?.();
            },
          },
        );
      }}
    >
      <h4>{initial ? `Sửa trang "${initial.name}"` : 'Tạo trang công khai'}</h4>
      <label>
        Tên trang
        <input
          name="groupName"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="vd. Wifi công cộng xã Hoàng Kim"
        />
      </label>
      {slug && <p className="mg-muted">Địa chỉ: {publicGroupPath(slug)}</p>}
      <fieldset className="mg-radios">
        <legend>Thiết bị trên trang</legend>
        <label>
          <input type="radio" checked={mode === 'selector'} onChange={() => setMode('selector')} />
          Theo loại và thôn (thiết bị mới tự vào)
        </label>
        <label>
          <input type="radio" checked={mode === 'devices'} onChange={() => setMode('devices')} />
          Chọn từng thiết bị
        </label>
      </fieldset>
      {mode === 'selector' ? (
        <>
          <label>
            Loại thiết bị
            <select value={kind} onChange={(e) => setKind(e.target.value as DeviceKind | '')} name="kind">
              <option value="">Mọi loại</option>
              {DEVICE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t.kinds[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Thôn
            <select value={villageId} onChange={(e) => setVillageId(e.target.value)} name="villageId">
              <option value="">Mọi thôn</option>
              {villages.data?.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </label>
        </>
      ) : (
        <label>
          Thiết bị (giữ Ctrl để chọn nhiều)
          <select
            multiple
            size={8}
            value={picked}
            name="deviceIds"
            onChange={(e) => setPicked([...e.target.selectedOptions].map((o) => o.value))}
          >
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
      <label className="mg-check">
        <input
          type="checkbox"
          checked={published}
          onChange={(e) => setPublished(e.target.checked)}
          name="published"
        />
        Công khai ngay (ai có đường dẫn đều xem được tên, trạng thái, thời gian hoạt động trong tháng)
      </label>
      {save.isError && (
        <p className="notice notice-error" role="alert" data-testid="manage-error">
          {hubErrorText(save.error)}
        </p>
      )}
      <div className="mg-actions">
        <button type="submit" disabled={save.isPending || !slug}>
          {initial ? 'Lưu thay đổi' : 'Tạo trang'}
        </button>
        {onDone && (
          <button type="button" className="mg-secondary" onClick={onDone}>
            Huỷ
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * Public status pages: which groups of devices citizens may see (opt-in, one group at a time), with the
 * link to give out and the QR codes to print.
 */
export function PublicGroupsPanel({ enabled }: { enabled: boolean }) {
  const groups = usePublicGroups(enabled);
  const save = useSaveGroup();
  const remove = useDeleteGroup();
  const [editing, setEditing] = useState<string | null>(null);
  const failed = groups.error ?? save.error ?? remove.error;
  return (
    <section className="mg-section" aria-labelledby="mg-public-title">
      <h3 id="mg-public-title">Trang trạng thái công khai</h3>
      <p className="mg-muted">
        Người dân xem được tên, trạng thái và thời gian hoạt động trong tháng của các thiết bị trên trang, và
        báo sự cố; không thấy mã thiết bị, khoá hay số đo nào khác.
      </p>
      {failed && (
        <p className="notice notice-error" role="alert" data-testid="manage-error">
          {hubErrorText(failed)}
        </p>
      )}
      <ul className="mg-group-list">
        {groups.data?.map((g) => (
          <li key={g.slug} data-testid="public-group">
            <strong>{g.name}</strong>{' '}
            <span className="mg-muted">
              {g.members.length.toLocaleString('vi-VN')} thiết bị ·{' '}
              {g.published ? 'Đang công khai' : 'Chưa công khai'}
            </span>
            {editing === g.slug && <GroupForm initial={g} onDone={() => setEditing(null)} />}
            <div className="mg-actions">
              {g.published && <Link to={publicGroupPath(g.slug)}>Mở trang</Link>}
              {g.published && <Link to={publicPrintPath(g.slug)}>In mã QR</Link>}
              <button type="button" className="mg-secondary" onClick={() => setEditing(g.slug)}>
                Sửa
              </button>
              <button
                type="button"
                className="mg-secondary"
                onClick={() => save.mutate({ body: toInput(g, !g.published), isNew: false })}
              >
                {g.published ? 'Ngừng công khai' : 'Công khai'}
              </button>
              <button
                type="button"
                className="mg-secondary"
                onClick={() => window.confirm(`Xoá trang "${g.name}"?`) && remove.mutate(g.slug)}
              >
                Xoá
              </button>
            </div>
          </li>
        ))}
      </ul>
      {enabled && <GroupForm />}
    </section>
  );
}
