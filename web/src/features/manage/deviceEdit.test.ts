import type { DeviceView, Site, Village } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { MANAGE_WORDS } from '../../i18n/manage.ts';
import { draftOf, editPatch, parseTags, sitesFor } from './deviceEdit.ts';
import { hubErrorText } from './errors.ts';

const villages: Village[] = [
  { id: 'thon-1', name: 'Thôn 1', communeId: null },
  { id: 'thon-2', name: 'Thôn 2', communeId: null },
];
const sites: Site[] = [
  { id: 'nvh-1', name: 'Nhà văn hóa thôn 1', villageId: 'thon-1', locationType: 'cultural_house' },
  { id: 'nvh-2', name: 'Nhà văn hóa thôn 2', villageId: 'thon-2', locationType: 'cultural_house' },
  { id: 'th', name: 'Trường Tiểu học', villageId: 'thon-2', locationType: 'school' },
];
const device = {
  id: 'hk-cam-01',
  kind: 'camera',
  name: 'Camera cổng chợ',
  village: 'Thôn 1',
  villageId: 'thon-1',
  site: { id: 'nvh-1', name: 'Nhà văn hóa thôn 1', locationType: 'cultural_house' },
  parent: null,
  tags: ['ngoài trời'],
  intervalS: 30,
} as unknown as DeviceView;
const words = MANAGE_WORDS.vi.invalid;
const places = { villages, sites };

describe('device edit: what is sent, and what is refused before sending', () => {
  it.each([
    ['nothing changed', {}, {}],
    ['name trimmed', { name: '  Camera chợ  ' }, { name: 'Camera chợ' }],
    ['site removed', { site: '' }, { site: null }],
    [
      'moved with a site of the new village',
      { village: 'Thôn 2', site: 'th' },
      { village: 'Thôn 2', site: 'th' },
    ],
    ['village typed by id', { village: 'thon-2', site: 'nvh-2' }, { village: 'thon-2', site: 'nvh-2' }],
    ['tags: trimmed, deduplicated, empty dropped', { tags: ' a , b,, a ' }, { tags: ['a', 'b'] }],
    ['tags all removed', { tags: '' }, { tags: [] }],
    ['tags re-spaced only: unchanged', { tags: 'ngoài trời ,' }, {}],
    ['a gateway', { parent: 'hk-gw-01' }, { parent: 'hk-gw-01' }],
    ['interval', { intervalS: '60' }, { intervalS: 60 }],
  ] as const)('%s', (_case, change, patch) => {
    expect(editPatch(device, { ...draftOf(device), ...change }, places, words)).toEqual({ patch });
  });

  it.each([
    ['empty name', { name: '  ' }, [words.nameLength]],
    ['empty village', { village: '' }, [words.villageLength, words.siteNotInVillage]],
    ['interval 0', { intervalS: '0' }, [words.interval]],
    ['interval 1.5', { intervalS: '1.5' }, [words.interval]],
    ['interval too long', { intervalS: '86401' }, [words.interval]],
    ['site of another village', { site: 'th' }, [words.siteNotInVillage]],
    ['moved, old site kept', { village: 'Thôn 2' }, [words.siteNotInVillage]],
    ['a new village has no sites yet', { village: 'Thôn mới' }, [words.siteNotInVillage]],
    ['a tag too long', { tags: `ok, ${'x'.repeat(65)}` }, [words.tagTooLong(`${'x'.repeat(20)}…`)]],
    ['33 tags', { tags: Array.from({ length: 33 }, (_, i) => `t${i}`).join(',') }, [words.tooManyTags]],
    ['its own gateway', { parent: 'hk-cam-01' }, [words.ownParent]],
  ] as const)('%s', (_case, change, errors) => {
    expect(editPatch(device, { ...draftOf(device), ...change }, places, words)).toEqual({ errors });
  });

  it('parses tags and lists the sites of a typed village', () => {
    expect(parseTags('')).toEqual([]);
    expect(sitesFor('thôn 2', villages, sites).map((s) => s.id)).toEqual(['nvh-2', 'th']);
    expect(sitesFor('Thôn 9', villages, sites)).toEqual([]);
  });
});

describe("the hub's refusals of a site or gateway, in Vietnamese", () => {
  it.each([
    ['site th is in village thon-2, not thon-1', words.siteNotInVillage],
    ['no site xyz', words.noSuchSite],
    ['no parent device hk-gw-09', words.noSuchParent],
    ['parent hk-wifi-01 is not a gateway', words.parentNotGateway],
    ['a device cannot be its own parent', words.ownParent],
    [
      'body/tags/0 must NOT have more than 64 characters',
      'Nhãn: phải mỗi nhãn từ 1 đến 64 ký tự, tối đa 32 nhãn.',
    ],
  ])('%s', (message, text) => {
    expect(hubErrorText({ code: 'HUB_ERR_VALIDATION', message, status: 400 })).toBe(text);
  });
});
