import { DEVICE_ID_PATTERN, DEVICE_KINDS, type DeviceKind } from '@commune-hub/protocol';
import { useState } from 'react';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useCreateDevice, useVillages } from '../api/queries.ts';
import { hubErrorText } from '../errors.ts';
import { SecretReveal } from './SecretReveal.tsx';

/** Add one device: id, kind, name, village (a new village is created), optional heartbeat interval. */
export function DeviceForm() {
  const { t } = useI18n();
  const villages = useVillages();
  const create = useCreateDevice();
  const [draft, setDraft] = useState({
    id: '',
    kind: 'wifi' as DeviceKind,
    name: '',
    village: '',
    intervalS: '',
  });
  const [shown, setShown] = useState<{ id: string; kind: string; secret: string } | null>(null);
  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value }));

  if (shown) return <SecretReveal {...shown} onDone={() => setShown(null)} />;
  return (
    <form
      className="mg-form"
      data-testid="device-form"
      onSubmit={(e) => {
        e.preventDefault();
        const body = {
          id: draft.id.trim(),
          kind: draft.kind,
          name: draft.name.trim(),
          village: draft.village.trim(),
          ...(draft.intervalS && { intervalS: Number(draft.intervalS) }),
        };
        create.mutate(body, {
          onSuccess: (creds) => {
            setShown({ id: creds.id, kind: body.kind, secret: creds.secret });
            setDraft((d) => ({ ...d, id: '', name: '' }));
          },
        });
      }}
    >
      <h3>Thêm thiết bị</h3>
      <label>
        Mã thiết bị
        <input
          name="id"
          required
          value={draft.id}
          onChange={set('id')}
          pattern={DEVICE_ID_PATTERN.replace(/^\^|\$$/g, '')}
          maxLength={64}
          placeholder="vd. hk-wifi-15"
          autoCapitalize="none"
          spellCheck={false}
          title="Chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới"
        />
      </label>
      <label>
        Loại thiết bị
        <select name="kind" value={draft.kind} onChange={set('kind')}>
          {DEVICE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t.kinds[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tên hiển thị
        <input name="name" required maxLength={200} value={draft.name} onChange={set('name')} />
      </label>
      <label>
        Thôn
        <input
          name="village"
          required
          maxLength={200}
          value={draft.village}
          onChange={set('village')}
          list="mg-villages"
        />
        <datalist id="mg-villages">
          {villages.data?.map((v) => (
            <option key={v.id} value={v.name} />
          ))}
        </datalist>
      </label>
      <label>
        Chu kỳ gửi tín hiệu (giây, để trống = mặc định)
        <input
          name="intervalS"
          type="number"
          min={1}
          max={86400}
          value={draft.intervalS}
          onChange={set('intervalS')}
        />
      </label>
      {create.isError && (
        <p className="notice notice-error" role="alert" data-testid="manage-error">
          {hubErrorText(create.error)}
        </p>
      )}
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? 'Đang thêm…' : 'Thêm thiết bị'}
      </button>
    </form>
  );
}
