import type { DeviceKind } from '@commune-hub/protocol';
import { useMemo, useState } from 'react';
import { formatDateTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useManageWords } from '../../../i18n/manage.ts';
import { useDevices } from '../../devices/index.ts';
import { useCancelMaintenance, useMaintenanceList, useScheduleMaintenance } from '../api/queries.ts';
import { DeviceOptions, ErrorNotice, KindSelect, RadioChoice, VillageSelect } from './fields.tsx';

/** `2026-12-01T08:00` typed as commune time (Asia/Ho_Chi_Minh, UTC+7 all year) → an exact instant. */
export const communeLocalToIso = (local: string) => `${local}:00+07:00`;

const TARGETS = ['device', 'village', 'kind'] as const;
type Target = (typeof TARGETS)[number];

/**
 * Schedule maintenance (excluded from uptime, and the devices show "Bảo trì" on time) for one device,
 * a whole village or a whole kind; see and cancel what is planned.
 */
export function MaintenancePanel({ canSchedule }: { canSchedule: boolean }) {
  const { t } = useI18n();
  const w = useManageWords().maintenance;
  const pick = useManageWords().pick;
  const devices = useDevices();
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
      <h3 id="mg-maint-title">{w.title}</h3>
      <p className="mg-muted">{w.intro}</p>
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
          <RadioChoice
            legend={w.target}
            name="target"
            value={target}
            options={TARGETS.map((value) => [value, w.targets[value]] as const)}
            onChange={setTarget}
          />
          {target === 'device' && (
            <label>
              {pick.device}
              <select required value={deviceId} onChange={(e) => setDeviceId(e.target.value)} name="deviceId">
                <option value="">{pick.chooseDevice}</option>
                <DeviceOptions />
              </select>
            </label>
          )}
          {target === 'village' && (
            <VillageSelect
              name="village"
              by="name"
              required
              value={village}
              onChange={setVillage}
              emptyLabel={pick.chooseVillage}
            />
          )}
          {target === 'kind' && <KindSelect value={kind} onChange={(k) => setKind(k as DeviceKind)} />}
          <TimeInput label={w.from} name="from" value={from} onChange={setFrom} />
          <TimeInput label={w.to} name="to" value={to} onChange={setTo} />
          <label>
            {w.note}
            <input maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} name="note" />
          </label>
          <ErrorNotice error={failed} />
          {schedule.isSuccess && (
            <p className="notice" role="status" data-testid="maintenance-saved">
              {w.saved(schedule.data.length)}
            </p>
          )}
          <button type="submit" disabled={schedule.isPending}>
            {w.submit}
          </button>
        </form>
      )}
      <h4>{w.planned}</h4>
      {list.data?.length === 0 && <p className="mg-muted">{w.none}</p>}
      <ul className="mg-maint-list">
        {list.data?.map((m) => (
          <li key={m.id} data-testid="maintenance-window">
            <span>
              <strong>{names.get(m.deviceId) ?? m.deviceId}</strong>: {formatDateTime(t, m.from)} →{' '}
              {formatDateTime(t, m.to)}
              {m.note && ` — ${m.note}`}
            </span>
            {canSchedule && (
              <button type="button" className="mg-secondary" onClick={() => cancel.mutate(m.id)}>
                {w.cancel}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A moment typed in commune time (see communeLocalToIso). */
function TimeInput({
  label,
  name,
  value,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input
        type="datetime-local"
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
        name={name}
      />
    </label>
  );
}
