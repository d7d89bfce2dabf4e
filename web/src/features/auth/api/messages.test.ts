import { HubApiError } from '@commune-hub/protocol/client';
import { describe, expect, it } from 'vitest';
import { signInError } from './messages.ts';

const refused = (status: number, code: string, message = '') =>
  new HubApiError(message, status, code, null, 'sessionCreate');

describe('sign-in refusals in Vietnamese', () => {
  it.each([
    [refused(401, 'HUB_ERR_BAD_CREDENTIALS'), 'Sai tên đăng nhập hoặc mật khẩu.'],
    [
      refused(429, 'HUB_ERR_LOCKED_OUT', 'too many failed sign-ins: try again in 1800 s'),
      'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 1.800 giây.',
    ],
    [refused(400, 'HUB_ERR_VALIDATION'), 'Vui lòng nhập tên đăng nhập và mật khẩu.'],
    [refused(0, 'HUB_ERR_UNREACHABLE'), 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.'],
    [new Error('boom'), 'Không đăng nhập được. Vui lòng thử lại.'],
  ])('%s', (err, text) => {
    expect(signInError(err)).toBe(text);
  });
});
