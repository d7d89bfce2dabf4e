import { DEVICE_KINDS, type DeviceKind } from '@commune-hub/protocol';
import type { ReactNode } from 'react';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useManageWords } from '../../../i18n/manage.ts';
import { useDevices } from '../../devices/index.ts';
import { useVillages } from '../api/queries.ts';
import { useHubErrorText } from '../errors.ts';

/**
 * The fields the /quan-ly forms share (adding and editing a device, maintenance, public pages), so each
 * picker lists and labels its choices one way.
 */

type OnValue = (value: string) => void;

/** A refused or failed call, in the official's words. Renders nothing while there is none. */
export function ErrorNotice({ error }: { error: unknown }) {
  const say = useHubErrorText();
  if (!error) return null;
  return (
    <p className="notice notice-error" role="alert" data-testid="manage-error">
      {say(error)}
    </p>
  );
}

/** A labelled select of device kinds; `anyLabel` adds a first choice "every kind" (value ''). */
export function KindSelect({
  value,
  onChange,
  label,
  anyLabel,
}: {
  value: DeviceKind | '';
  onChange: OnValue;
  label?: string;
  anyLabel?: string;
}) {
  const { t } = useI18n();
  const w = useManageWords();
  return (
    <label>
      {label ?? w.pick.kind}
      <select name="kind" value={value} onChange={(e) => onChange(e.target.value)}>
        {anyLabel && <option value="">{anyLabel}</option>}
        {DEVICE_KINDS.map((k) => (
          <option key={k} value={k}>
            {t.kinds[k]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A labelled select of the commune's villages, by id or by name (what the hub's body wants). */
export function VillageSelect({
  name,
  value,
  onChange,
  by,
  emptyLabel,
  required = false,
}: {
  name: string;
  value: string;
  onChange: OnValue;
  by: 'id' | 'name';
  emptyLabel: string;
  required?: boolean;
}) {
  const w = useManageWords();
  const villages = useVillages();
  return (
    <label>
      {w.pick.village}
      <select name={name} required={required} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{emptyLabel}</option>
        {villages.data?.map((v) => (
          <option key={v.id} value={by === 'id' ? v.id : v.name}>
            {v.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Every device as an option "name (village)", sorted by name the Vietnamese way. */
export function DeviceOptions() {
  const devices = useDevices();
  return (
    <>
      {[...(devices.data ?? [])]
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
        .map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({d.village})
          </option>
        ))}
    </>
  );
}

/** The village names already used, offered while typing one (a new name creates the village). */
export const VILLAGE_SUGGESTIONS_ID = 'mg-villages';
export function VillageSuggestions() {
  const villages = useVillages();
  return (
    <datalist id={VILLAGE_SUGGESTIONS_ID}>
      {villages.data?.map((v) => (
        <option key={v.id} value={v.name} />
      ))}
    </datalist>
  );
}

/** The heartbeat interval in whole seconds, as the hub accepts it (1 s to a day). */
export function IntervalInput({
  label,
  value,
  onChange,
}: {
  label: ReactNode;
  value: string;
  onChange: OnValue;
}) {
  return (
    <label>
      {label}
      <input
        name="intervalS"
        type="number"
        min={1}
        max={86400}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** One choice among a few, as radio buttons under a legend. */
export function RadioChoice<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string;
  name: string;
  value: T;
  options: ReadonlyArray<readonly [T, string]>;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="mg-radios">
      <legend>{legend}</legend>
      {options.map(([option, label]) => (
        <label key={option}>
          <input type="radio" name={name} checked={value === option} onChange={() => onChange(option)} />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
