import { type AlertChannel, CHANNEL_KINDS, type ChannelKind } from '@commune-hub/protocol';
import { useState } from 'react';
import { channelsApi, useSendTest } from '../api/alertsApi.ts';
import { CHANNEL_KIND_LABELS, formatViTime } from '../labels.ts';
import { ErrorNote } from './ErrorNote.tsx';

interface FieldSpec {
  key: string;
  label: string;
  hint?: string;
  type?: 'text' | 'password' | 'number' | 'select' | 'textarea';
  options?: Array<[string, string]>;
  list?: boolean;
}

/** The fields of each channel kind, with the words an official needs to fill them in. */
const FIELDS: Record<ChannelKind, FieldSpec[]> = {
  telegram: [
    {
      key: 'botToken',
      label: 'Mã bot (token)',
      type: 'password',
      hint: 'Lấy từ @BotFather, dạng 123456:ABC…',
    },
    { key: 'chatId', label: 'Mã cuộc trò chuyện (chat id)', hint: 'Số (nhóm bắt đầu bằng -) hoặc @tenkenh' },
    { key: 'apiBaseUrl', label: 'Địa chỉ máy chủ API (để trống nếu dùng Telegram)' },
  ],
  zalo_bot: [
    { key: 'botToken', label: 'Mã bot Zalo (token)', type: 'password', hint: 'Tạo bot tại Zalo Bot Creator' },
    {
      key: 'chatId',
      label: 'Mã cuộc trò chuyện (chat id)',
      hint: 'Cán bộ phải nhắn cho bot trước một tin bất kỳ; mã lấy từ tin nhắn đó',
    },
    { key: 'apiBaseUrl', label: 'Địa chỉ máy chủ API (để trống nếu dùng Zalo)' },
  ],
  email: [
    { key: 'host', label: 'Máy chủ thư (SMTP)' },
    { key: 'port', label: 'Cổng', type: 'number', hint: '587 (STARTTLS) hoặc 465 (TLS)' },
    {
      key: 'security',
      label: 'Bảo mật',
      type: 'select',
      options: [
        ['starttls', 'STARTTLS (cổng 587)'],
        ['tls', 'TLS (cổng 465)'],
        ['none', 'Không mã hoá'],
      ],
    },
    { key: 'username', label: 'Tên đăng nhập' },
    { key: 'password', label: 'Mật khẩu', type: 'password' },
    { key: 'from', label: 'Người gửi', hint: 'Ví dụ: Commune Hub <hub@xa.gov.vn>' },
    { key: 'to', label: 'Người nhận (mỗi dòng một địa chỉ)', type: 'textarea', list: true },
  ],
  webhook: [
    { key: 'url', label: 'Địa chỉ nhận (URL)' },
    { key: 'secret', label: 'Khoá ký HMAC (không bắt buộc)', type: 'password' },
  ],
  zalo_zns: [
    { key: 'accessToken', label: 'Access token của OA', type: 'password' },
    { key: 'phone', label: 'Số điện thoại nhận', hint: 'Dạng 84xxxxxxxxx' },
    { key: 'templateId', label: 'Mã mẫu tin (template) đã được duyệt' },
    { key: 'apiBaseUrl', label: 'Địa chỉ máy chủ API (để trống nếu dùng Zalo)' },
  ],
};

type Draft = {
  id?: string;
  name: string;
  kind: ChannelKind;
  digestMinutes: number;
  config: Record<string, string>;
};

const emptyDraft = (): Draft => ({
  name: '',
  kind: 'telegram',
  digestMinutes: 0,
  config: { security: 'starttls' },
});

function toDraft(c: AlertChannel): Draft {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.config))
    config[k] = Array.isArray(v) ? v.join('\n') : String(v ?? '');
  return { id: c.id, name: c.name, kind: c.kind, digestMinutes: c.digestMinutes, config };
}

function toInput(d: Draft) {
  const config: Record<string, unknown> = {};
  for (const f of FIELDS[d.kind]) {
    const raw = (d.config[f.key] ?? '').trim();
    if (raw === '') continue;
    if (f.list)
      config[f.key] = raw
        .split(/[\n,;]+/)
        .map((s) => s.trim())
        .filter(Boolean);
    else if (f.type === 'number') config[f.key] = Number(raw);
    else config[f.key] = raw;
  }
  return { name: d.name, kind: d.kind, digestMinutes: d.digestMinutes, config };
}

/** Channels with their health (failing, last error), a "Gửi thử" button, and a form to add or change one. */
export function ChannelEditor() {
  const list = channelsApi.useList();
  const save = channelsApi.useSave();
  const remove = channelsApi.useRemove();
  const test = useSendTest();
  const [draft, setDraft] = useState<Draft | null>(null);

  return (
    <section className="alerts-section" aria-labelledby="channels-title">
      <div className="section-head">
        <h2 id="channels-title">Kênh nhận cảnh báo</h2>
        <button
          type="button"
          className="primary-button"
          onClick={() => setDraft(emptyDraft())}
          data-testid="channel-add"
        >
          + Thêm kênh
        </button>
      </div>
      <ErrorNote error={test.error ?? remove.error} />
      {list.isSuccess && list.data.length === 0 && <p className="notice">Chưa có kênh nào.</p>}
      <ul className="editor-list">
        {(list.data ?? []).map((c) => (
          <li
            key={c.id}
            className="editor-item"
            data-testid={`channel-${c.id}`}
            data-failing={c.health.failing}
          >
            <div className="editor-item-main">
              <strong>{c.name}</strong>
              <span className="muted">
                {CHANNEL_KIND_LABELS[c.kind]}
                {c.digestMinutes > 0 ? ` · gộp tin mỗi ${c.digestMinutes} phút` : ''}
                {c.enabled ? '' : ' · đang tắt'}
              </span>
              {c.health.failing ? (
                <span className="channel-health channel-failing" data-testid="channel-failing">
                  ⚠ Gửi lỗi {c.health.consecutiveFailures} lần liền: {c.health.lastError}
                </span>
              ) : (
                <span className="channel-health channel-ok">
                  {c.health.lastSuccessAt
                    ? `✓ Gửi được lúc ${formatViTime(c.health.lastSuccessAt)}`
                    : 'Chưa gửi tin nào'}
                </span>
              )}
              {c.health.queued > 0 && <span className="muted">{c.health.queued} tin đang chờ gửi</span>}
            </div>
            <div className="editor-item-actions">
              <button type="button" onClick={() => test.mutate(c.id)} data-testid={`channel-test-${c.id}`}>
                Gửi thử
              </button>
              <button type="button" onClick={() => setDraft(toDraft(c))}>
                Sửa
              </button>
              <button
                type="button"
                className="danger-button"
                onClick={() => window.confirm(`Xoá kênh "${c.name}"?`) && remove.mutate(c.id)}
              >
                Xoá
              </button>
            </div>
          </li>
        ))}
      </ul>
      {test.isSuccess && (
        <p className="notice">Đã xếp tin thử vào hàng gửi; kết quả hiện ở kênh sau vài giây.</p>
      )}
      {draft && (
        <form
          className="editor-form"
          data-testid="channel-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ id: draft.id, input: toInput(draft) }, { onSuccess: () => setDraft(null) });
          }}
        >
          <h3>{draft.id ? 'Sửa kênh' : 'Thêm kênh'}</h3>
          <label>
            Tên kênh
            <input
              required
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              data-testid="channel-name"
            />
          </label>
          <label>
            Loại kênh
            <select
              value={draft.kind}
              disabled={Boolean(draft.id)}
              onChange={(e) => setDraft({ ...draft, kind: e.target.value as ChannelKind })}
              data-testid="channel-kind"
            >
              {CHANNEL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {CHANNEL_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          {FIELDS[draft.kind].map((f) => (
            <label key={f.key} htmlFor={`channel-field-${f.key}`}>
              {f.label}
              {f.type === 'select' ? (
                <select
                  value={draft.config[f.key] ?? ''}
                  onChange={(e) =>
                    setDraft({ ...draft, config: { ...draft.config, [f.key]: e.target.value } })
                  }
                >
                  {f.options?.map(([v, l]) => (
                    <option key={v} value={v}>
                      {l}
                    </option>
                  ))}
                </select>
              ) : f.type === 'textarea' ? (
                <textarea
                  id={`channel-field-${f.key}`}
                  rows={3}
                  value={draft.config[f.key] ?? ''}
                  onChange={(e) =>
                    setDraft({ ...draft, config: { ...draft.config, [f.key]: e.target.value } })
                  }
                  data-testid={`channel-${f.key}`}
                />
              ) : (
                <input
                  id={`channel-field-${f.key}`}
                  type={f.type === 'password' ? 'password' : f.type === 'number' ? 'number' : 'text'}
                  value={draft.config[f.key] ?? ''}
                  onChange={(e) =>
                    setDraft({ ...draft, config: { ...draft.config, [f.key]: e.target.value } })
                  }
                  data-testid={`channel-${f.key}`}
                />
              )}
              {f.hint && <small className="muted">{f.hint}</small>}
            </label>
          ))}
          <label>
            Gộp tin (phút; 0 = gửi từng tin)
            <input
              type="number"
              min={0}
              max={1440}
              value={draft.digestMinutes}
              onChange={(e) => setDraft({ ...draft, digestMinutes: Number(e.target.value) })}
            />
          </label>
          <div className="form-actions">
            <button
              type="submit"
              className="primary-button"
              disabled={save.isPending}
              data-testid="channel-save"
            >
              Lưu
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Huỷ
            </button>
          </div>
          <ErrorNote error={save.error} />
        </form>
      )}
    </section>
  );
}
