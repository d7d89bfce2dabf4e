import type { DeviceView } from '@commune-hub/protocol';
import { useMemo, useState } from 'react';
import { useManageWords } from '../../../i18n/manage.ts';
import { useDevices } from '../../devices/index.ts';
import { useSites, useUpdateDevice, useVillages } from '../api/queries.ts';
import { draftOf, type EditDraft, editPatch, sitesFor } from '../deviceEdit.ts';
import { useHubErrorText } from '../errors.ts';
import { IntervalInput, VILLAGE_SUGGESTIONS_ID } from './fields.tsx';

const NO_LIST: never[] = [];

/**
 * Change one device in place: name, village, heartbeat interval, site (among the chosen village's), tags
 * and the gateway that relays it. Only what changed is sent; problems are listed before anything is sent.
 */
export function DeviceEditForm({ device, onClose }: { device: DeviceView; onClose: () => void }) {
  const w = useManageWords();
  const errorText = useHubErrorText();
  const update = useUpdateDevice();
  const villages = useVillages().data ?? NO_LIST;
  const sites = useSites().data ?? NO_LIST;
  const devices = useDevices().data ?? NO_LIST;
  const [draft, setDraft] = useState<EditDraft>(() => draftOf(device));
  const [problems, setProblems] = useState<string[]>([]);
  const siteChoices = useMemo(
    () => sitesFor(draft.village, villages, sites),
    [draft.village, villages, sites],
  );
  const gateways = useMemo(
    () =>
      devices
        .filter((d) => d.kind === 'gateway' && d.id !== device.id)
        .sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    [devices, device.id],
  );
  const set = (key: keyof EditDraft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <form
      className="mg-edit"
      data-testid="device-edit"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const result = editPatch(device, draft, { villages, sites }, w.invalid);
        if ('errors' in result) {
          setProblems(result.errors);
          return;
        }
        setProblems([]);
        if (Object.keys(result.patch).length === 0) onClose();
        else update.mutate({ id: device.id, body: result.patch }, { onSuccess: onClose });
      }}
    >
      <label>
        {w.edit.name}
        <input name="name" maxLength={200} value={draft.name} onChange={set('name')} />
      </label>
      <label>
        {w.edit.village}
        <input
          name="village"
          maxLength={200}
          value={draft.village}
          onChange={(e) => {
            const village = e.target.value;
            // A site belongs to one village: moving the device elsewhere leaves it without one until picked.
            setDraft((d) => ({
              ...d,
              village,
              site: sitesFor(village, villages, sites).some((s) => s.id === d.site) ? d.site : '',
            }));
          }}
          list={VILLAGE_SUGGESTIONS_ID}
        />
      </label>
      <IntervalInput
        label={w.edit.intervalS}
        value={draft.intervalS}
        onChange={(intervalS) => setDraft((d) => ({ ...d, intervalS }))}
      />
      <label>
        {w.edit.site}
        <select
          name="site"
          value={draft.site}
          onChange={set('site')}
          aria-describedby={`mg-site-hint-${device.id}`}
        >
          <option value="">{w.edit.noSite}</option>
          {siteChoices.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          {/* A site outside the chosen village still shows (and is refused on save) rather than vanish. */}
          {draft.site && !siteChoices.some((s) => s.id === draft.site) && (
            <option value={draft.site}>{sites.find((s) => s.id === draft.site)?.name ?? draft.site}</option>
          )}
        </select>
        <small id={`mg-site-hint-${device.id}`} className="mg-muted">
          {w.edit.siteHint}
        </small>
      </label>
      <label>
        {w.edit.tags}
        <input name="tags" value={draft.tags} onChange={set('tags')} placeholder={w.edit.tagsHint} />
      </label>
      <label>
        {w.edit.parent}
        <select name="parent" value={draft.parent} onChange={set('parent')}>
          <option value="">{w.edit.noParent}</option>
          {gateways.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
          {draft.parent && !gateways.some((g) => g.id === draft.parent) && (
            <option value={draft.parent}>{draft.parent}</option>
          )}
        </select>
      </label>
      {(problems.length > 0 || update.isError) && (
        <div className="notice notice-error" role="alert" data-testid="manage-error">
          {problems.length > 0 ? (
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : (
            errorText(update.error)
          )}
        </div>
      )}
      <div className="mg-actions">
        <button type="submit" disabled={update.isPending}>
          {w.edit.save}
        </button>
        <button type="button" className="mg-secondary" onClick={onClose}>
          {w.edit.cancel}
        </button>
      </div>
    </form>
  );
}
