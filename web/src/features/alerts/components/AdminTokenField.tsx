import { useState } from 'react';
import { getAdminToken, setAdminToken } from '../api/alertsApi.ts';

/** The admin token, typed once on this device; every change (ack, editors) needs it. */
export function AdminTokenField() {
  const [value, setValue] = useState(getAdminToken);
  const [saved, setSaved] = useState(value !== '');
  return (
    <form
      className="alerts-token"
      onSubmit={(e) => {
        e.preventDefault();
        setAdminToken(value);
        setSaved(true);
      }}
    >
      <label>
        Mã quản trị (để thay đổi)
        <input
          type="password"
          autoComplete="current-password"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setSaved(false);
          }}
          data-testid="admin-token"
        />
      </label>
      <button type="submit" data-testid="admin-token-save">
        {saved ? 'Đã lưu' : 'Lưu'}
      </button>
    </form>
  );
}

/** A refused change, in words, with the field the hub named. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as { code?: string; message?: string; status?: number };
  const text =
    e.status === 401
      ? 'Sai hoặc thiếu mã quản trị.'
      : e.code === 'HUB_ERR_VALIDATION'
        ? `Dữ liệu chưa đúng: ${e.message}`
        : e.message;
  return (
    <p className="notice notice-error" role="alert" data-testid="form-error">
      {text}
    </p>
  );
}
