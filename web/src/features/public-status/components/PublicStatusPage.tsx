import type { PublicStatusPage as Page } from '@commune-hub/protocol';
import { type ReactNode, useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../../i18n/format.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { usePublicDevice, usePublicGroup } from '../api/publicApi.ts';
import { usePublicWords } from '../words.ts';
import { ReportForm } from './ReportForm.tsx';
import { StatusCard } from './StatusCard.tsx';
import './public-status.css';

export const publicGroupPath = (group: string) => `/trang-thai/${encodeURIComponent(group)}`;
export const publicDevicePath = (group: string, token: string) => `${publicGroupPath(group)}/${token}`;
export const publicPrintPath = (group: string) => `${publicGroupPath(group)}/ma-qr`;

/** The frame of every public page: no dashboard navigation, the group's name as the title. */
export function PublicFrame({ title, children }: { title?: string; children: ReactNode }) {
  const w = usePublicWords();
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);
  return (
    <div className="ps-page" lang={w.lang}>
      <main className="ps-main">{children}</main>
    </div>
  );
}

function Failure({ error }: { error: unknown }) {
  const w = usePublicWords();
  const status = (error as { status?: number }).status;
  return (
    <p className="ps-error" role="alert" data-testid="public-error">
      {/* 400: an address that cannot be a page (a mistyped link) is not found either. */}
      {status === 404 || status === 400 ? w.notFound : w.unreachable}
    </p>
  );
}

function Header({ page, updatedAt }: { page: Pick<Page, 'group'>; updatedAt: number }) {
  const { t } = useI18n();
  const w = usePublicWords();
  return (
    <header className="ps-header">
      <h1>{page.group.name}</h1>
      {page.group.description && <p>{page.group.description}</p>}
      <p className="ps-updated">
        {w.updated} {formatDateTime(t, updatedAt)}
      </p>
    </header>
  );
}

/** `/trang-thai/:group`: every device of a published group, problems first, and the report form. */
export function PublicStatusPage() {
  const w = usePublicWords();
  const { group = '' } = useParams();
  const query = usePublicGroup(group);
  const page = query.data;
  const order = { down: 0, degraded: 1, maintenance: 2, unknown: 3, up: 4 } as const;
  const devices = page ? [...page.devices].sort((a, b) => order[a.status] - order[b.status]) : [];
  const up = devices.filter((d) => d.status === 'up').length;
  return (
    <PublicFrame title={page?.group.name}>
      {query.isPending && <p className="ps-note">{w.loading}</p>}
      {query.isError && !page && <Failure error={query.error} />}
      {page && (
        <>
          <Header page={page} updatedAt={query.dataUpdatedAt} />
          <p className="ps-summary" data-testid="public-summary">
            {w.summary(up, devices.length)}
          </p>
          <ul className="ps-list">
            {devices.map((d) => (
              <StatusCard
                key={d.token}
                device={d}
                period={page.period}
                href={publicDevicePath(group, d.token)}
              />
            ))}
          </ul>
          <ReportForm group={group} devices={page.devices} />
        </>
      )}
    </PublicFrame>
  );
}

/** `/trang-thai/:group/:deviceToken`: where a printed QR code leads: one device, and the report form for it. */
export function PublicDevicePage() {
  const w = usePublicWords();
  const { group = '', deviceToken = '' } = useParams();
  const query = usePublicDevice(group, deviceToken);
  const page = query.data;
  return (
    <PublicFrame title={page ? `${page.device.name} — ${page.group.name}` : undefined}>
      {query.isPending && <p className="ps-note">{w.loading}</p>}
      {query.isError && !page && <Failure error={query.error} />}
      {page && (
        <>
          <Header page={page} updatedAt={query.dataUpdatedAt} />
          <ul className="ps-list">
            <StatusCard device={page.device} period={page.period} large />
          </ul>
          <ReportForm group={group} devices={[page.device]} fixedToken={page.device.token} />
          <p className="ps-back">
            <Link to={publicGroupPath(group)}>{w.allDevices}</Link>
          </p>
        </>
      )}
    </PublicFrame>
  );
}
