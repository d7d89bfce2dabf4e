import { Link } from 'react-router';
import { useShellWords } from '../../i18n/shell.ts';
import { PATHS } from '../paths.ts';

export function NotFoundPage() {
  const w = useShellWords();
  return (
    <main className="content" data-testid="not-found">
      <p className="notice">{w.notFound}</p>
      <Link to={PATHS.home}>{w.backHome}</Link>
    </main>
  );
}
