import { type FormEvent, useEffect, useState } from 'react';
import { useShellWords } from '../../../i18n/shell.ts';
import { signInError } from '../api/messages.ts';
import { sessionEndedNotice, useSignIn } from '../api/session.ts';

/** The sign-in form: name and password, refusals said in Vietnamese (wrong password, locked for a while). */
export function LoginPage() {
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Shown after the hub ended the session (checkSessionEnded reloaded the page onto this form).
  const [ended] = useState(() => sessionEndedNotice());
  const words = useShellWords();
  useEffect(() => {
    sessionEndedNotice(true);
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim().toLowerCase(), password);
    } catch (err) {
      setError(signInError(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <h1>Giám sát hạ tầng số</h1>
        {ended && (
          <p className="login-ended" role="alert" data-testid="session-ended">
            {words.sessionEnded}
          </p>
        )}
        <p className="login-hint">Đăng nhập bằng tài khoản cán bộ xã được cấp.</p>
        <label>
          Tên đăng nhập
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Mật khẩu
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="login-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} data-testid="login-submit">
          {busy ? 'Đang đăng nhập…' : 'Đăng nhập'}
        </button>
      </form>
    </main>
  );
}
