import type { DeviceUpdate, DeviceView, Site, Village } from '@commune-hub/protocol';
import type { ManageWords } from '../../i18n/manage.ts';

/** What the edit form holds: text as typed; site and parent as ids, '' for none. */
export interface EditDraft {
  name: string;
  village: string;
  intervalS: string;
  site: string;
  tags: string;
  parent: string;
}

export const draftOf = (d: DeviceView): EditDraft => ({
  name: d.name,
  village: d.village,
  intervalS: String(d.intervalS),
  site: d.site?.id ?? '',
  tags: d.tags.join(', '),
  parent: d.parent ?? '',
});

/** "ngoài trời, , solar, ngoài trời" → ["ngoài trời", "solar"]: trimmed, empty ones dropped, each once. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()))].filter((t) => t !== '');
}

/** The village a typed name or id stands for, if it exists (a new name creates a village on save). */
export function villageOf(typed: string, villages: readonly Village[]): Village | undefined {
  const t = typed.trim().toLocaleLowerCase('vi');
  return villages.find((v) => v.id === typed.trim() || v.name.toLocaleLowerCase('vi') === t);
}

/** The sites one may pick for a typed village: those of that village (none for a new village). */
export function sitesFor(typed: string, villages: readonly Village[], sites: readonly Site[]): Site[] {
  const village = villageOf(typed, villages);
  return village ? sites.filter((s) => s.villageId === village.id) : [];
}

/**
 * The PATCH body for what changed, or every problem in the official's words. Checked here so the form
 * says what is wrong before sending; the hub checks again (and ../errors.ts says its refusals).
 */
export function editPatch(
  device: DeviceView,
  draft: EditDraft,
  places: { villages: readonly Village[]; sites: readonly Site[] },
  words: ManageWords['invalid'],
): { patch: DeviceUpdate } | { errors: string[] } {
  const errors: string[] = [];
  const name = draft.name.trim();
  const village = draft.village.trim();
  const intervalS = Number(draft.intervalS);
  const tags = parseTags(draft.tags);
  if (name.length < 1 || name.length > 200) errors.push(words.nameLength);
  if (village.length < 1 || village.length > 200) errors.push(words.villageLength);
  if (!Number.isInteger(intervalS) || intervalS < 1 || intervalS > 86_400) errors.push(words.interval);
  for (const tag of tags) if (tag.length > 64) errors.push(words.tagTooLong(`${tag.slice(0, 20)}…`));
  if (tags.length > 32) errors.push(words.tooManyTags);
  if (draft.site && !sitesFor(village, places.villages, places.sites).some((s) => s.id === draft.site))
    errors.push(words.siteNotInVillage);
  if (draft.parent && draft.parent === device.id) errors.push(words.ownParent);
  if (errors.length > 0) return { errors };

  const patch: DeviceUpdate = {};
  if (name !== device.name) patch.name = name;
  if (village !== device.village) patch.village = village;
  if (intervalS !== device.intervalS) patch.intervalS = intervalS;
  if (draft.site !== (device.site?.id ?? '')) patch.site = draft.site || null;
  if (draft.parent !== (device.parent ?? '')) patch.parent = draft.parent || null;
  if (tags.join('\n') !== device.tags.join('\n')) patch.tags = tags;
  return { patch };
}
