import type { ReactNode } from 'react';
import { ROLE_LABELS } from '../api/messages.ts';
import { signOut, useSession } from '../api/session.ts';
import { LoginPage } from './LoginPage.tsx';

/**
 * The dashboard opens only for a signed-in user (GET /api/session/me): otherwise the sign-in form.
 * Wraps everything that talks to the hub, the live socket included, so nothing connects before sign-in.
 * Who is signed in is shown by `SessionBar`, in the app shell.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.isPending) {
    return (
      <p className="auth-status" role="status">
        Đang tải…
      </p>
    );
  }
  if (session.isError) {
    return (
      <p className="auth-status" role="alert">
        Không kết nối được máy chủ.{' '}
        <button type="button" onClick={() => session.refetch()}>
          Thử lại
        </button>
      </p>
    );
  }
  if (!session.data) return <LoginPage />;
  return <>{children}</>;
}

/** Who is signed in, with their role, and sign-out: placed in the app shell's header (web/src/app/AppShell.tsx). */
export function SessionBar() {
  const session = useSession();
  if (!session.data) return null;
  const { user } = session.data;
  return (
    <div className="auth-bar" data-testid="auth-bar">
      <span className="auth-user" title={`${user.displayName} · ${ROLE_LABELS[user.role]}`}>
        <span className="auth-name">{user.displayName}</span>
        <span className="auth-sep"> · </span>
        <span className="auth-role">{ROLE_LABELS[user.role]}</span>
      </span>
      <button type="button" onClick={() => void signOut()} data-testid="sign-out">
        Đăng xuất
      </button>
    </div>
  );
}
