import { NavLink, Outlet } from 'react-router';
import { AlertBanner } from '../features/alerts/index.ts';
import { SessionBar, useRole } from '../features/auth/index.ts';
import { ConnectionBadge } from '../features/realtime/index.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useShellWords } from '../i18n/shell.ts';
import { CommuneHeading } from './CommuneHeading.tsx';
import { PATHS } from './paths.ts';
import { StaleNotice, useStaleness } from './StaleNotice.tsx';
import './shell.css';

const MAIN_ID = 'noi-dung';

/** The frame every page of the dashboard lives in: skip link, header, navigation, alert banner. */
export function AppShell() {
  const { t, lang, toggle } = useI18n();
  const w = useShellWords();
  const { stale, lastLiveAt } = useStaleness();
  const links = [
    [PATHS.home, w.nav.home, 'nav-home'],
    [PATHS.devices, w.nav.devices, 'nav-devices'],
    [PATHS.villages, w.nav.villages, 'nav-villages'],
    [PATHS.uptime, w.nav.uptime, 'nav-uptime'],
    [PATHS.alerts, w.nav.alerts, 'nav-alerts'],
    [PATHS.criteria, w.nav.criteria, 'nav-criteria'],
    [PATHS.manage, w.nav.manage, 'nav-manage'],
  ] as const;
  // A viewer can change nothing on the management page: the link is not offered (the page stays read-only).
  const { canOperate } = useRole();
  const shown = links.filter(([path]) => path !== PATHS.manage || canOperate);
  return (
    <div className="app" data-stale={stale}>
      <a className="skip-link" href={`#${MAIN_ID}`}>
        {w.skipToContent}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <h1>{t.appTitle}</h1>
            <CommuneHeading />
          </div>
          <div className="topbar-actions">
            <SessionBar />
            <ConnectionBadge />
            {/* No aria-label: the accessible name is the visible text (WCAG 2.5.3 "label in name"). */}
            <button
              type="button"
              className="lang-button"
              onClick={toggle}
              lang={lang === 'vi' ? 'en' : 'vi'}
              data-testid="lang-button"
            >
              <span className="long-label">{t.switchLanguage}</span>
              <span className="short-label">{t.switchLanguageShort}</span>
            </button>
          </div>
        </div>
      </header>
      <StaleNotice stale={stale} lastLiveAt={lastLiveAt} />
      <AlertBanner />
      <nav className="main-nav" aria-label={w.navLabel}>
        {shown.map(([href, label, testId]) => (
          <NavLink key={href} to={href} end={href === PATHS.home} data-testid={testId}>
            {label}
          </NavLink>
        ))}
      </nav>
      <div id={MAIN_ID} tabIndex={-1} className="main-region">
        <Outlet />
      </div>
    </div>
  );
}
