import { CRITERIA_PATH } from '../constants.ts';
import { useCriteriaI18n } from '../i18n.ts';
import { navigate } from '../urlState.ts';

/** Devices | Chỉ tiêu hạ tầng số, under the top bar. Plain links (open in a new tab works), no reload. */
export function MainNav({ path }: { path: string }) {
  const { c } = useCriteriaI18n();
  const links = [
    { href: '/', label: c.navDevices, testId: 'nav-devices', current: path !== CRITERIA_PATH },
    { href: CRITERIA_PATH, label: c.nav, testId: 'nav-criteria', current: path === CRITERIA_PATH },
  ];
  return (
    <nav className="main-nav">
      {links.map((l) => (
        <a
          key={l.href}
          href={l.href}
          aria-current={l.current ? 'page' : undefined}
          data-testid={l.testId}
          onClick={(e) => {
            if (e.ctrlKey || e.metaKey || e.shiftKey) return;
            e.preventDefault();
            navigate(l.href);
          }}
        >
          {l.label}
        </a>
      ))}
    </nav>
  );
}
