import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
// The alerts feature is in the first download anyway: its banner is on every page.
import { AlertsPage } from '../features/alerts/index.ts';
import { HomePage } from '../features/home/index.ts';
import { AppShell } from './AppShell.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { devicePath, PATHS } from './paths.ts';

// Home is in the first download; every other page is fetched when first opened, so the morning's first
// load (home, with 10,000 devices) does not parse the code of the criteria, management or public pages.
const CriteriaPage = lazy(() =>
  import('../features/criteria/index.ts').then((m) => ({ default: m.CriteriaPage })),
);
const ManagePage = lazy(() => import('../features/manage/index.ts').then((m) => ({ default: m.ManagePage })));
const PublicStatusPage = lazy(() =>
  import('../features/public-status/index.ts').then((m) => ({ default: m.PublicStatusPage })),
);
const PrintQrPage = lazy(() =>
  import('../features/public-status/index.ts').then((m) => ({ default: m.PrintQrPage })),
);
const PublicDevicePage = lazy(() =>
  import('../features/public-status/index.ts').then((m) => ({ default: m.PublicDevicePage })),
);
const UptimePage = lazy(() => import('../features/uptime/index.ts').then((m) => ({ default: m.UptimePage })));
const VillagesPage = lazy(() =>
  import('../features/villages/index.ts').then((m) => ({ default: m.VillagesPage })),
);
const DevicesPage = lazy(() => import('./pages/DevicesPage.tsx').then((m) => ({ default: m.DevicesPage })));

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<main className="content" aria-busy="true" />}>{children}</Suspense>;
}

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
      <Route
        path={PATHS.status}
        element={
          <Page>
            <PublicStatusPage />
          </Page>
        }
      />
      <Route
        path={`${PATHS.status}/ma-qr`}
        element={
          <Page>
            <PrintQrPage />
          </Page>
        }
      />
      <Route
        path={`${PATHS.status}/:deviceToken`}
        element={
          <Page>
            <PublicDevicePage />
          </Page>
        }
      />
      <Route element={<AppShell />}>
        <Route index element={<HomeOrLegacyDevice />} />
        <Route
          path={PATHS.devices}
          element={
            <Page>
              <DevicesPage />
            </Page>
          }
        />
        <Route
          path={PATHS.device}
          element={
            <Page>
              <DevicesPage />
            </Page>
          }
        />
        <Route
          path={PATHS.villages}
          element={
            <Page>
              <VillagesPage />
            </Page>
          }
        />
        <Route
          path={PATHS.village}
          element={
            <Page>
              <VillagesPage />
            </Page>
          }
        />
        <Route
          path={PATHS.uptime}
          element={
            <Page>
              <UptimePage />
            </Page>
          }
        />
        <Route
          path={PATHS.manage}
          element={
            <Page>
              <ManagePage />
            </Page>
          }
        />
        <Route
          path={PATHS.criteria}
          element={
            <Page>
              <CriteriaPage />
            </Page>
          }
        />
        <Route
          path={PATHS.alerts}
          element={
            <Page>
              <AlertsPage />
            </Page>
          }
        />
        <Route path={PATHS.alertsVi} element={<AlertsAlias />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
