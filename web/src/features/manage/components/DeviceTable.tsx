import { useDeferredValue, useMemo, useState } from 'react';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useManageWords } from '../../../i18n/manage.ts';
import { useDevices } from '../../devices/index.ts';
import { useRotateSecret, useUpdateDevice } from '../api/queries.ts';
import { DeviceEditForm } from './DeviceEditForm.tsx';
import { ErrorNotice } from './fields.tsx';
import { SecretReveal } from './SecretReveal.tsx';

const SHOWN = 100;

/** Every device with what an admin may change (`canEdit`): edit, disable/enable, issue a new secret. */
export function DeviceTable({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const w = useManageWords();
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
  const shownNames = useMemo(() => new Map((devices.data ?? []).map((d) => [d.id, d.name])), [devices.data]);

  return (
    <section className="mg-section" aria-labelledby="mg-devices-title">
      <h3 id="mg-devices-title">{w.list.title}</h3>
      {revealed && <SecretReveal {...revealed} onDone={() => setRevealed(null)} />}
      <label className="mg-search">
        {w.list.search}
        <input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={w.list.searchPlaceholder}
        />
      </label>
      <ErrorNotice error={failed ?? devices.error} />
      <ul className="mg-device-list">
        {shown.slice(0, SHOWN).map((d) => (
          <li key={d.id} className="mg-device" data-testid="manage-device" data-device-id={d.id}>
            <div className="mg-device-head">
              <strong>{d.name}</strong>
              <span className="mg-muted">
                {d.id} · {t.kinds[d.kind]} · {d.village}
                {d.site && ` · ${d.site.name}`}
              </span>
              {(d.tags.length > 0 || d.parent) && (
                <span className="mg-muted" data-testid="manage-device-extra">
                  {[
                    d.tags.length > 0 && w.edit.tagsOf(d.tags.join(', ')),
                    d.parent && w.edit.viaGateway(shownNames.get(d.parent) ?? d.parent),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              )}
              <span data-testid="manage-status" data-status={d.status}>
                {d.disabled ? t.reasons.disabled : <StatusBadge status={d.status} />}
              </span>
            </div>
            {!canEdit ? null : editing === d.id ? (
              <DeviceEditForm device={d} onClose={() => setEditing(null)} />
            ) : (
              <div className="mg-actions">
                <button type="button" className="mg-secondary" onClick={() => setEditing(d.id)}>
                  {w.list.edit}
                </button>
                <button
                  type="button"
                  className="mg-secondary"
                  onClick={() => update.mutate({ id: d.id, body: { disabled: !d.disabled } })}
                >
                  {d.disabled ? w.list.enable : w.list.disable}
                </button>
                <button
                  type="button"
                  className="mg-secondary"
                  onClick={() => {
                    if (!window.confirm(w.list.confirmNewSecret(d.name))) return;
                    rotate.mutate(d.id, {
                      onSuccess: (c) => setRevealed({ id: c.id, kind: d.kind, secret: c.secret }),
                    });
                  }}
                >
                  {w.list.newSecret}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {shown.length > SHOWN && <p className="mg-muted">{w.list.moreThanShown(SHOWN, shown.length)}</p>}
    </section>
  );
}
