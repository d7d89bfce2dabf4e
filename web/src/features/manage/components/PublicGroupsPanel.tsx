import type { DeviceKind, PublicGroup, PublicGroupInput } from '@commune-hub/protocol';
import { useState } from 'react';
import { Link } from 'react-router';
import { useManageWords } from '../../../i18n/manage.ts';
import { foldVietnamese } from '../../devices/index.ts';
import { publicGroupPath, publicPrintPath } from '../../public-status/index.ts';
import { useDeleteGroup, usePublicGroups, useSaveGroup } from '../api/queries.ts';
import { DeviceOptions, ErrorNotice, KindSelect, RadioChoice, VillageSelect } from './fields.tsx';

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
  const { groups: w, pick } = useManageWords();
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
      <h4>{initial ? w.editTitle(initial.name) : w.create}</h4>
      <label>
        {w.name}
        <input
          name="groupName"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={w.namePlaceholder}
        />
      </label>
      {slug && <p className="mg-muted">{w.address(publicGroupPath(slug))}</p>}
      <RadioChoice
        legend={w.members}
        name={initial ? `members-${initial.slug}` : 'members'}
        value={mode}
        options={[
          ['selector', w.bySelector],
          ['devices', w.byDevices],
        ]}
        onChange={setMode}
      />
      {mode === 'selector' ? (
        <>
          <KindSelect value={kind} onChange={(k) => setKind(k as DeviceKind | '')} anyLabel={pick.anyKind} />
          <VillageSelect
            name="villageId"
            by="id"
            value={villageId}
            onChange={setVillageId}
            emptyLabel={pick.anyVillage}
          />
        </>
      ) : (
        <label>
          {w.devicesHint}
          <select
            multiple
            size={8}
            value={picked}
            name="deviceIds"
            onChange={(e) => setPicked([...e.target.selectedOptions].map((o) => o.value))}
          >
            <DeviceOptions />
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
        {w.publishNow}
      </label>
      {save.isError && <ErrorNotice error={save.error} />}
      <div className="mg-actions">
        <button type="submit" disabled={save.isPending || !slug}>
          {initial ? w.save : w.createButton}
        </button>
        {onDone && (
          <button type="button" className="mg-secondary" onClick={onDone}>
            {w.cancel}
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
  const { groups: w } = useManageWords();
  const groups = usePublicGroups(enabled);
  const save = useSaveGroup();
  const remove = useDeleteGroup();
  const [editing, setEditing] = useState<string | null>(null);
  const failed = groups.error ?? save.error ?? remove.error;
  return (
    <section className="mg-section" aria-labelledby="mg-public-title">
      <h3 id="mg-public-title">{w.title}</h3>
      <p className="mg-muted">{w.intro}</p>
      <ErrorNotice error={failed} />
      <ul className="mg-group-list">
        {groups.data?.map((g) => (
          <li key={g.slug} data-testid="public-group">
            <strong>{g.name}</strong>{' '}
            <span className="mg-muted">
              {w.count(g.members.length)} · {g.published ? w.published : w.unpublished}
            </span>
            {editing === g.slug && <GroupForm initial={g} onDone={() => setEditing(null)} />}
            <div className="mg-actions">
              {g.published && <Link to={publicGroupPath(g.slug)}>{w.open}</Link>}
              {g.published && <Link to={publicPrintPath(g.slug)}>{w.printQr}</Link>}
              <button type="button" className="mg-secondary" onClick={() => setEditing(g.slug)}>
                {w.edit}
              </button>
              <button
                type="button"
                className="mg-secondary"
                onClick={() => save.mutate({ body: toInput(g, !g.published), isNew: false })}
              >
                {g.published ? w.unpublish : w.publish}
              </button>
              <button
                type="button"
                className="mg-secondary"
                onClick={() => window.confirm(w.confirmDelete(g.name)) && remove.mutate(g.slug)}
              >
                {w.delete}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {enabled && <GroupForm />}
    </section>
  );
}
