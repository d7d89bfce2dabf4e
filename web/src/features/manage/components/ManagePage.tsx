import { Link, useSearchParams } from 'react-router';
import { useManageWords } from '../../../i18n/manage.ts';
import { useRole, VIEWER_NOTICE } from '../../auth/index.ts';
import { useAdminAccess } from '../api/adminAccess.ts';
import { DeviceForm } from './DeviceForm.tsx';
import { DeviceTable } from './DeviceTable.tsx';
import { VillageSuggestions } from './fields.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { MaintenancePanel } from './MaintenancePanel.tsx';
import { PublicGroupsPanel } from './PublicGroupsPanel.tsx';
import '../manage.css';

/** The sections, by their address in `?muc=` (kept in the URL so a link opens the same one). */
const SECTIONS = ['thiet-bi', 'nhap-csv', 'bao-tri', 'cong-khai'] as const;
type Section = (typeof SECTIONS)[number];

/** The query string that opens `section`, keeping the page's other parameters. */
function sectionSearch(params: URLSearchParams, section: Section): string {
  const next = new URLSearchParams(params);
  next.set('muc', section);
  return `?${next.toString()}`;
}

/** Managing needs the `admin` role of the signed-in user (the hub checks it on every write too). */
function AccessNotice({ hasAccess, canOperate }: { hasAccess: boolean; canOperate: boolean }) {
  const w = useManageWords().page;
  if (!canOperate) {
    return (
      <p className="mg-access" role="note" data-testid="viewer-notice">
        {VIEWER_NOTICE}
      </p>
    );
  }
  if (hasAccess) {
    return (
      <p className="mg-access" data-testid="admin-access">
        {w.isAdmin}
      </p>
    );
  }
  return (
    <p className="mg-access" role="note" data-testid="admin-access-missing">
      {w.notAdmin}
    </p>
  );
}

/** `/quan-ly`: device management for the admin: add, edit, disable, new secret, CSV import, maintenance, public pages. */
export function ManagePage() {
  const w = useManageWords().page;
  const [params] = useSearchParams();
  const { hasAccess } = useAdminAccess();
  const { canOperate } = useRole();
  // The CSV import only creates devices (admin work): other roles do not get its tab.
  const sections = SECTIONS.filter((id) => id !== 'nhap-csv' || hasAccess);
  const current: Section = sections.find((id) => id === params.get('muc')) ?? 'thiet-bi';
  return (
    <main className="content mg-page" id="noi-dung" data-testid="manage-page">
      <h2>{w.title}</h2>
      <AccessNotice hasAccess={hasAccess} canOperate={canOperate} />
      {/* Links, like the main menu: each section has its address (`?muc=`), the current one is marked
          with aria-current and drawn filled, the others outlined. */}
      <nav className="mg-tabs" aria-label={w.sectionsLabel}>
        {sections.map((id) => (
          <Link
            key={id}
            to={{ search: sectionSearch(params, id) }}
            aria-current={current === id ? 'page' : undefined}
            data-testid={`manage-tab-${id}`}
          >
            {w.sections[id]}
          </Link>
        ))}
      </nav>
      {current === 'thiet-bi' && (
        <>
          <VillageSuggestions />
          {hasAccess && <DeviceForm />}
          <DeviceTable canEdit={hasAccess} />
        </>
      )}
      {current === 'nhap-csv' && hasAccess && <ImportPanel />}
      {current === 'bao-tri' && <MaintenancePanel canSchedule={canOperate} />}
      {current === 'cong-khai' && <PublicGroupsPanel enabled={hasAccess} />}
    </main>
  );
}
