import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAdminAccess } from '../api/adminAccess.ts';
import { DeviceForm } from './DeviceForm.tsx';
import { DeviceTable } from './DeviceTable.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { MaintenancePanel } from './MaintenancePanel.tsx';
import { PublicGroupsPanel } from './PublicGroupsPanel.tsx';
import '../manage.css';

/** The sections, by their address in `?muc=` (kept in the URL so a link opens the same one). */
const SECTIONS = [
  ['thiet-bi', 'Thiết bị'],
  ['nhap-csv', 'Nhập từ tệp'],
  ['bao-tri', 'Bảo trì'],
  ['cong-khai', 'Trang công khai'],
] as const;
type Section = (typeof SECTIONS)[number][0];

function AccessForm({ hasAccess, setToken }: ReturnType<typeof useAdminAccess>) {
  const [value, setValue] = useState('');
  const [editing, setEditing] = useState(!hasAccess);
  if (!editing) {
    return (
      <p className="mg-access" data-testid="admin-access">
        Đã nhập mã quản trị trên máy này.{' '}
        <button type="button" className="mg-secondary" onClick={() => setEditing(true)}>
          Đổi mã
        </button>
      </p>
    );
  }
  return (
    <form
      className="mg-access"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value);
        setEditing(value.trim() === '');
      }}
    >
      <label>
        Mã quản trị (cần để thêm, sửa thiết bị)
        <input
          type="password"
          name="adminToken"
          autoComplete="current-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          data-testid="manage-token"
        />
      </label>
      <button type="submit" data-testid="manage-token-save">
        Lưu mã
      </button>
    </form>
  );
}

/** `/quan-ly`: device management for the admin: add, edit, disable, new secret, CSV import, maintenance, public pages. */
export function ManagePage() {
  const [params, setParams] = useSearchParams();
  const access = useAdminAccess();
  const { hasAccess } = access;
  const current = (SECTIONS.find(([id]) => id === params.get('muc'))?.[0] ?? 'thiet-bi') as Section;
  return (
    <main className="content mg-page" id="noi-dung" data-testid="manage-page">
      <h2>Quản lý thiết bị</h2>
      <AccessForm {...access} />
      <nav className="mg-tabs" aria-label="Mục quản lý">
        {SECTIONS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            aria-current={current === id ? 'page' : undefined}
            onClick={() => setParams((p) => (p.set('muc', id), p))}
            data-testid={`manage-tab-${id}`}
          >
            {label}
          </button>
        ))}
      </nav>
      {current === 'thiet-bi' && (
        <>
          {hasAccess && <DeviceForm />}
          <DeviceTable />
        </>
      )}
      {current === 'nhap-csv' && <ImportPanel />}
      {current === 'bao-tri' && <MaintenancePanel />}
      {current === 'cong-khai' && <PublicGroupsPanel enabled={hasAccess} />}
    </main>
  );
}
