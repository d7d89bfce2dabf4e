/** A refused change, in words, with the field the hub named. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as { code?: string; message?: string; status?: number };
  const text =
    e.status === 401
      ? 'Phiên đăng nhập đã hết; hãy đăng nhập lại.'
      : e.status === 403
        ? 'Tài khoản của bạn không có quyền thay đổi này.'
        : e.code === 'HUB_ERR_VALIDATION'
          ? `Dữ liệu chưa đúng: ${e.message}`
          : e.message;
  return (
    <p className="notice notice-error" role="alert" data-testid="form-error">
      {text}
    </p>
  );
}
