import { useI18n } from './I18nProvider.tsx';

/**
 * Words of the device edit form on /quan-ly (name, village, interval, site, tags, gateway) and of its
 * refusals. Same rule as shell.ts: Vietnamese is the reference, English has the same shape.
 */
const vi = {
  edit: {
    name: 'Tên hiển thị',
    village: 'Thôn',
    intervalS: 'Chu kỳ (giây)',
    site: 'Điểm đặt',
    noSite: 'Không gắn điểm đặt',
    siteHint: 'Chỉ hiện các điểm đặt của thôn đã chọn.',
    tags: 'Nhãn',
    tagsHint: 'Cách nhau bằng dấu phẩy, vd. ngoài trời, năng lượng mặt trời',
    parent: 'Gateway chuyển tiếp',
    noParent: 'Không qua gateway (kết nối thẳng)',
    save: 'Lưu',
    cancel: 'Huỷ',
    tagsOf: (tags: string) => `Nhãn: ${tags}`,
    viaGateway: (name: string) => `qua gateway ${name}`,
  },
  invalid: {
    nameLength: 'Tên hiển thị: phải từ 1 đến 200 ký tự.',
    villageLength: 'Thôn: phải từ 1 đến 200 ký tự.',
    interval: 'Chu kỳ: phải là số nguyên giây từ 1 đến 86.400.',
    tagTooLong: (tag: string) => `Nhãn “${tag}” dài quá 64 ký tự.`,
    tooManyTags: 'Tối đa 32 nhãn cho một thiết bị.',
    siteNotInVillage: 'Điểm đặt này không thuộc thôn đã chọn: hãy chọn lại điểm đặt.',
    noSuchSite: 'Không có điểm đặt này (có thể đã bị xoá).',
    noSuchParent: 'Không có gateway này (có thể đã bị xoá).',
    parentNotGateway: 'Thiết bị chuyển tiếp phải là một gateway.',
    ownParent: 'Một thiết bị không thể là gateway của chính nó.',
  },
};

export type ManageWords = typeof vi;

const en: ManageWords = {
  edit: {
    name: 'Display name',
    village: 'Village',
    intervalS: 'Interval (seconds)',
    site: 'Site',
    noSite: 'No site',
    siteHint: 'Only the sites of the chosen village are listed.',
    tags: 'Tags',
    tagsHint: 'Separated by commas, e.g. outdoor, solar',
    parent: 'Relaying gateway',
    noParent: 'No gateway (connects directly)',
    save: 'Save',
    cancel: 'Cancel',
    tagsOf: (tags: string) => `Tags: ${tags}`,
    viaGateway: (name: string) => `via gateway ${name}`,
  },
  invalid: {
    nameLength: 'Display name: 1 to 200 characters.',
    villageLength: 'Village: 1 to 200 characters.',
    interval: 'Interval: a whole number of seconds from 1 to 86,400.',
    tagTooLong: (tag: string) => `Tag “${tag}” is longer than 64 characters.`,
    tooManyTags: 'At most 32 tags per device.',
    siteNotInVillage: 'This site is not in the chosen village: pick the site again.',
    noSuchSite: 'No such site (it may have been deleted).',
    noSuchParent: 'No such gateway (it may have been deleted).',
    parentNotGateway: 'The relaying device must be a gateway.',
    ownParent: 'A device cannot be its own gateway.',
  },
};

export const MANAGE_WORDS = { vi, en } as const;

export function useManageWords(): ManageWords {
  return MANAGE_WORDS[useI18n().lang];
}
