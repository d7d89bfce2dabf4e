import { useShellWords } from '../i18n/shell.ts';

/**
 * Stand-ins for pages other engineers are building (villages and uptime: D2; device management and
 * the public status page: D3). routes.tsx imports the real page from the feature's index.ts instead,
 * and the stand-in is deleted with its last use.
 */
function Pending({ testId }: { testId: string }) {
  const w = useShellWords();
  return (
    <main className="content" data-testid={testId}>
      <p className="notice">{w.pendingPage}</p>
    </main>
  );
}

export const VillagesPagePlaceholder = () => <Pending testId="villages-page" />;
export const UptimePagePlaceholder = () => <Pending testId="uptime-page" />;
export const ManagePagePlaceholder = () => <Pending testId="manage-page" />;
export const PublicStatusPlaceholder = () => <Pending testId="public-status-page" />;
