import type { UserRole } from '@commune-hub/protocol';
import { HubApiError } from '@commune-hub/protocol/client';

export const ROLE_LABELS: Record<UserRole, string> = {
  viewer: 'Xem',
  operator: 'Vận hành',
  admin: 'Quản trị',
};

/** What a refused sign-in means, in the words of an official (by the hub's HUB_ERR_* code). */
export function signInError(err: unknown): string {
  if (!(err instanceof HubApiError)) return 'Không đăng nhập được. Vui lòng thử lại.';
  switch (err.code) {
    case 'HUB_ERR_BAD_CREDENTIALS':
      return 'Sai tên đăng nhập hoặc mật khẩu.';
    case 'HUB_ERR_LOCKED_OUT': {
      const seconds = /(\d+)\s*s\b/.exec(err.message)?.[1];
      return `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${seconds ? `${Number(seconds).toLocaleString('vi-VN')} giây` : 'ít phút'}.`;
    }
    case 'HUB_ERR_VALIDATION':
      return 'Vui lòng nhập tên đăng nhập và mật khẩu.';
    case 'HUB_ERR_UNREACHABLE':
      return 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.';
    default:
      return 'Không đăng nhập được. Vui lòng thử lại.';
  }
}
