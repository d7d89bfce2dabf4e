import { DEVICE_ID_PATTERN, type DeviceKind } from '@commune-hub/protocol';
import { useState } from 'react';
import { useManageWords } from '../../../i18n/manage.ts';
import { useCreateDevice } from '../api/queries.ts';
import { ErrorNotice, IntervalInput, KindSelect, VILLAGE_SUGGESTIONS_ID } from './fields.tsx';
import { SecretReveal } from './SecretReveal.tsx';

/** Add one device: id, kind, name, village (a new village is created), optional heartbeat interval. */
export function DeviceForm() {
  const w = useManageWords();
  const create = useCreateDevice();
  const [draft, setDraft] = useState({
    id: '',
    kind: 'wifi' as DeviceKind,
    name: '',
    village: '',
    intervalS: '',
  });
  const [shown, setShown] = useState<{ id: string; kind: string; secret: string } | null>(null);
  const setField = (k: keyof typeof draft) => (value: string) => setDraft((d) => ({ ...d, [k]: value }));
  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setField(k)(e.target.value);

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
      <h3>{w.add.title}</h3>
      <label>
        {w.add.id}
        <input
          name="id"
          required
          value={draft.id}
          onChange={set('id')}
          pattern={DEVICE_ID_PATTERN.replace(/^\^|\$$/g, '')}
          maxLength={64}
          placeholder={w.add.idPlaceholder}
          autoCapitalize="none"
          spellCheck={false}
          title={w.add.idRule}
        />
      </label>
      <KindSelect label={w.add.kind} value={draft.kind} onChange={setField('kind')} />
      <label>
        {w.add.name}
        <input name="name" required maxLength={200} value={draft.name} onChange={set('name')} />
      </label>
      <label>
        {w.add.village}
        <input
          name="village"
          required
          maxLength={200}
          value={draft.village}
          onChange={set('village')}
          list={VILLAGE_SUGGESTIONS_ID}
        />
      </label>
      <IntervalInput label={w.add.intervalS} value={draft.intervalS} onChange={setField('intervalS')} />
      {create.isError && <ErrorNotice error={create.error} />}
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? w.add.adding : w.add.submit}
      </button>
    </form>
  );
}
