import { PUBLIC_STATUSES } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { PUBLIC_STATUS_WORDS, PUBLIC_WORDS, reportErrorText } from './words.ts';

describe('public status words', () => {
  it('says every public status in Vietnamese, with a hint for the citizen', () => {
    for (const s of PUBLIC_STATUSES) {
      expect(PUBLIC_STATUS_WORDS[s].label).toMatch(/\S/);
      expect(PUBLIC_STATUS_WORDS[s].hint).toMatch(/\.$/);
    }
  });

  const cases: Array<[{ code?: string; message?: string }, string]> = [
    [
      { code: 'HUB_ERR_RATE_LIMITED', message: 'too many reports from this address: try again in 3540 s' },
      'thử lại sau 59 phút',
    ],
    [{ code: 'HUB_ERR_RATE_LIMITED', message: 'try again in 20 s' }, 'thử lại sau 1 phút'],
    [{ code: 'HUB_ERR_VALIDATION' }, 'từ 3 đến 1.000 ký tự'],
    [{ code: 'HUB_ERR_NOT_FOUND' }, 'không còn được công khai'],
    [{ code: 'HUB_ERR_UNREACHABLE' }, 'Không kết nối được máy chủ'],
    [{}, 'Chưa gửi được phản ánh'],
  ];
  it.each(cases)('a refused report %o is said in Vietnamese', (err, expected) => {
    expect(reportErrorText(err)).toContain(expected);
    expect(reportErrorText(err)).not.toMatch(/HUB_ERR|try again/);
  });

  it('says a refused report in English when the page is in English', () => {
    const err = { code: 'HUB_ERR_RATE_LIMITED', message: 'try again in 3540 s' };
    expect(reportErrorText(err, PUBLIC_WORDS.en)).toBe(
      'You have sent several reports in a short time. Please try again in 59 minutes.',
    );
    for (const s of PUBLIC_STATUSES) expect(PUBLIC_WORDS.en.statuses[s].hint).toMatch(/\.$/);
  });
});
