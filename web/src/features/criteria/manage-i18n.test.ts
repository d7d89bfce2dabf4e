import { HubApiError } from '@commune-hub/protocol/client';
import { describe, expect, it } from 'vitest';
import { errorMessage, MANAGE_WORDS } from './manage-i18n.ts';

const vi = MANAGE_WORDS.vi;
const fail = (code: string, status: number) =>
  new HubApiError('english message from the hub', status, code, null, 'criteriaManualCreate');

describe('errors of a write, in Vietnamese by HUB_ERR_* code', () => {
  it.each([
    ['HUB_ERR_UNAUTHORIZED', 401, /Mã quản trị không đúng/],
    ['HUB_ERR_MANUAL_VALUE', 400, /đúng loại của chỉ tiêu.*minh chứng/],
    ['HUB_ERR_REPORT_EXISTS', 409, /Lập bản sửa/],
    ['HUB_ERR_VALIDATION', 400, /chưa hợp lệ/],
    ['HUB_ERR_UNREACHABLE', 0, /Không kết nối được tới hub/],
    ['HUB_ERR_SOMETHING_NEW', 500, /Có lỗi khi lưu/],
  ])('%s', (code, status, expected) => {
    const text = errorMessage(vi, fail(code, status));
    expect(text).toMatch(expected);
    expect(text).not.toContain('english message');
  });

  it('a thrown non-API error gets the generic message', () => {
    expect(errorMessage(vi, new TypeError('boom'))).toBe(vi.errors.other);
  });

  it('English has a message for every code Vietnamese has', () => {
    expect(Object.keys(MANAGE_WORDS.en.errors).sort()).toEqual(Object.keys(vi.errors).sort());
  });
});
