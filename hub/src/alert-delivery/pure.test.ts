import { describe, expect, it } from 'vitest';
import { parseAckCommand } from './bot-replies.ts';
import { formatViDuration, formatViTime } from './message.ts';
import { backoffMs } from './queue.ts';
import { slugify } from './service.ts';
import { channelProblems } from './validate.ts';

describe('parseAckCommand', () => {
  it.each([
    ['ok', {}],
    ['OK a-12', { alertId: 'a-12' }],
    ['/ack a-12 đang đi sửa', { alertId: 'a-12', note: 'đang đi sửa' }],
    ['/ack@hub_bot 77', { alertId: '77' }],
    ['đã nhận 5 mình xử lý', { alertId: '5', note: 'mình xử lý' }],
    ['Đã nhận', {}],
    ['nhận, đang đi', null], // not a command word on its own
    ['ok đang đi', { note: 'đang đi' }],
    ['okay', null],
    ['xin chào', null],
  ])('%s', (text, expected) => {
    expect(parseAckCommand(text)).toEqual(expected);
  });
});

describe('backoffMs', () => {
  const o = { baseBackoffMs: 10_000, maxBackoffMs: 1_800_000 };
  it.each([
    [1, undefined, 10_000],
    [2, undefined, 20_000],
    [5, undefined, 160_000],
    [20, undefined, 1_800_000],
    [1, 30_000, 30_000], // Telegram retry_after wins
    [3, 0, 1_000], // never hammer, even when told 0
  ])('after %i failures (retry-after %s) waits %i ms', (n, retryAfter, expected) => {
    expect(backoffMs(n, retryAfter, o)).toBe(expected);
  });
});

describe('Vietnamese time and duration', () => {
  it.each([
    [0, 'dưới 1 phút'],
    [59, 'dưới 1 phút'],
    [60, '1 phút'],
    [3900, '1 giờ 5 phút'],
    [90000, '1 ngày 1 giờ'],
  ])('%i s → %s', (s, text) => expect(formatViDuration(s)).toBe(text));
  it('shows Asia/Ho_Chi_Minh whatever the machine zone', () => {
    expect(formatViTime(Date.parse('2026-11-30T17:30:00Z'))).toBe('00:30 01/12/2026');
  });
});

describe('slugify', () => {
  it.each([
    ['Telegram trưởng thôn 3', 'telegram-truong-thon-3'],
    ['Đường dây nóng', 'duong-day-nong'],
    ['!!!', 'kenh'],
  ])('%s', (name, slug) => expect(slugify(name)).toBe(slug));
});

describe('channelProblems', () => {
  const tg = { botToken: '123456:ABCdefGHIjklMNO', chatId: '-1001234567890' };
  it.each([
    ['webhook', { url: 'https://x.vn/hook' }, []],
    ['webhook', { url: 'x.vn/hook' }, ['config.url']],
    ['webhook', { url: 'https://x.vn', extra: 1 }, ['config.extra']],
    ['telegram', tg, []],
    ['telegram', { ...tg, chatId: '@kenh_thon3' }, []],
    ['telegram', { ...tg, chatId: '12 34' }, ['config.chatId']],
    ['telegram', { ...tg, apiBaseUrl: 'localhost:8081' }, ['config.apiBaseUrl']],
    ['zalo_bot', { ...tg, chatId: 'e4ea2cd5189df1c3a88c' }, []],
    [
      'email',
      { host: 'smtp.x.vn', port: 587, security: 'starttls', from: 'Hub <a@x.vn>', to: ['b@x.vn'] },
      [],
    ],
    [
      'email',
      { host: 'smtp x', port: 587, security: 'starttls', from: 'a@x.vn', to: ['b@x.vn'] },
      ['config.host'],
    ],
    [
      'email',
      { host: 'smtp.x.vn', port: 587, security: 'ssl', from: 'a@x.vn', to: ['b@x.vn'] },
      ['config.security'],
    ],
    [
      'email',
      { host: 'smtp.x.vn', port: 587, security: 'tls', from: 'a@x.vn', to: ['b@x', 'c@x.vn'] },
      ['config.to[0]'],
    ],
    ['zalo_zns', { accessToken: 't', phone: '84987654321', templateId: '12' }, []],
    [
      'zalo_zns',
      { accessToken: 't', phone: '+84987654321', templateId: 'abc' },
      ['config.phone', 'config.templateId'],
    ],
  ] as const)('%s %j', (kind, config, fields) => {
    const found = channelProblems(kind, config as Record<string, unknown>).map((p) => p.field);
    expect([...new Set(found)]).toEqual(fields);
  });
});
