import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AlertsPage } from '../features/alerts/index.ts';
import { CriteriaPage } from '../features/criteria/index.ts';
import { HomePage } from '../features/home/index.ts';
import { ManagePage } from '../features/manage/index.ts';
import { PrintQrPage, PublicDevicePage, PublicStatusPage } from '../features/public-status/index.ts';
import { UptimePage } from '../features/uptime/index.ts';
import { VillagesPage } from '../features/villages/index.ts';
import { AppShell } from './AppShell.tsx';
import { DevicesPage } from './pages/DevicesPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { devicePath, PATHS } from './paths.ts';

/**
 * Old links (alert messages sent before the router: `/?device=<id>`) open the device's panel at its
 * new address; everything else at `/` is the home page.
 */
function HomeOrLegacyDevice() {
  const { search } = useLocation();
  const device = new URLSearchParams(search).get('device');
  return device ? <Navigate to={devicePath(device)} replace /> : <HomePage />;
}

/** `/canh-bao` is the Vietnamese address of the alerts page; its query (filters) is kept. */
function AlertsAlias() {
  const { search } = useLocation();
  return <Navigate to={`${PATHS.alerts}${search}`} replace />;
}

/**
 * Every page and its address (paths.ts). The public status page has no shell: a citizen reads it
 * without the official's navigation. D2/D3 pages replace the placeholders by importing from their
 * feature's index.ts here.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route path={PATHS.status} element={<PublicStatusPage />} />
      <Route path={`${PATHS.status}/ma-qr`} element={<PrintQrPage />} />
      <Route path={`${PATHS.status}/:deviceToken`} element={<PublicDevicePage />} />
      <Route element={<AppShell />}>
        <Route index element={<HomeOrLegacyDevice />} />
        <Route path={PATHS.devices} element={<DevicesPage />} />
        <Route path={PATHS.device} element={<DevicesPage />} />
        <Route path={PATHS.villages} element={<VillagesPage />} />
        <Route path={PATHS.village} element={<VillagesPage />} />
        <Route path={PATHS.uptime} element={<UptimePage />} />
        <Route path={PATHS.manage} element={<ManagePage />} />
        <Route path={PATHS.criteria} element={<CriteriaPage />} />
        <Route path={PATHS.alerts} element={<AlertsPage />} />
        <Route path={PATHS.alertsVi} element={<AlertsAlias />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
