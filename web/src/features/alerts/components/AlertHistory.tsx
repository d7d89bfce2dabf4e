import {
  ALERT_CAUSES,
  ALERT_STATES,
  type Alert,
  type AlertCause,
  type AlertState,
} from '@commune-hub/protocol';
import { useMemo, useState } from 'react';
import { useRole } from '../../auth/index.ts';
import { useAcknowledge, useAlertList, useVillages } from '../api/alertsApi.ts';
import {
  CAUSE_LABELS,
  conditionLabel,
  formatViDuration,
  formatViTime,
  SILENCED_LABELS,
  STATE_LABELS,
} from '../labels.ts';
import { useSearchParams } from '../useSearchParam.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { MuteForm } from './MuteForm.tsx';

const PERIODS: Record<string, { label: string; hours: number }> = {
  '24h': { label: '24 giờ qua', hours: 24 },
  '7d': { label: '7 ngày qua', hours: 24 * 7 },
  '30d': { label: '30 ngày qua', hours: 24 * 30 },
  '365d': { label: '1 năm qua', hours: 24 * 365 },
};

/** Alert history with filters (state, village, cause, period), all kept in the URL. */
export function AlertHistory() {
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') ?? '') as AlertState | '';
  const villageId = params.get('village') ?? '';
  const cause = (params.get('cause') ?? '') as AlertCause | '';
  const period = params.get('period') ?? '7d';
  const focus = params.get('alert');
  // The period is rounded to the minute so the query key (and the cache) stays put between renders.
  const from = useMemo(() => {
    const hours = PERIODS[period]?.hours ?? 24 * 7;
    return new Date(Math.floor(Date.now() / 60_000) * 60_000 - hours * 3_600_000).toISOString();
  }, [period]);
  const list = useAlertList({ state: state || undefined, villageId: villageId || undefined, from });
  const villages = useVillages();
  const alerts = (list.data ?? []).filter((a) => !cause || a.cause === cause);

  return (
    <section className="alerts-section" aria-labelledby="alerts-history-title">
      <h2 id="alerts-history-title">Lịch sử cảnh báo</h2>
      <div className="alerts-filters">
        <label>
          Trạng thái
          <select
            value={state}
            onChange={(e) => setParams({ state: e.target.value })}
            data-testid="filter-state"
          >
            <option value="">Tất cả</option>
            {ALERT_STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Thôn
          <select
            value={villageId}
            onChange={(e) => setParams({ village: e.target.value })}
            data-testid="filter-village"
          >
            <option value="">Tất cả các thôn</option>
            {(villages.data ?? []).map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Nguyên nhân
          <select
            value={cause}
            onChange={(e) => setParams({ cause: e.target.value })}
            data-testid="filter-cause"
          >
            <option value="">Tất cả</option>
            {ALERT_CAUSES.map((c) => (
              <option key={c} value={c}>
                {CAUSE_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Thời gian
          <select
            value={period}
            onChange={(e) => setParams({ period: e.target.value })}
            data-testid="filter-period"
          >
            {Object.entries(PERIODS).map(([k, p]) => (
              <option key={k} value={k}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.isPending && <p className="notice">Đang tải…</p>}
      {list.isError && <p className="notice notice-error">Không tải được danh sách: {list.error.message}</p>}
      {list.isSuccess && alerts.length === 0 && (
        <p className="notice">Không có cảnh báo nào trong khoảng này.</p>
      )}
      <ul className="alerts-list">
        {alerts.map((a) => (
          <AlertItem key={a.id} alert={a} highlighted={a.id === focus} />
        ))}
      </ul>
    </section>
  );
}

function AlertItem({ alert, highlighted }: { alert: Alert; highlighted: boolean }) {
  const [acking, setAcking] = useState(false);
  const [muting, setMuting] = useState(false);
  const { canOperate } = useRole();
  // Acknowledging and muting are operator work: a viewer sees no button at all (the hub refuses it too).
  const open =
    canOperate && (alert.state === 'firing' || alert.state === 'acknowledged' || alert.state === 'pending');
  return (
    <li
      className={`alert-item alert-${alert.state}${highlighted ? ' alert-focus' : ''}`}
      data-testid={`alert-${alert.id}`}
      data-state={alert.state}
    >
      <div className="alert-item-head">
        <span className={`alert-state alert-state-${alert.state}`}>{STATE_LABELS[alert.state]}</span>
        <strong className="alert-title">{alert.title}</strong>
      </div>
      <dl className="alert-facts">
        <div>
          <dt>Nguyên nhân</dt>
          <dd>{CAUSE_LABELS[alert.cause]}</dd>
        </div>
        <div>
          <dt>Quy tắc</dt>
          <dd>
            {alert.rule.name} · {conditionLabel(alert.condition)}
          </dd>
        </div>
        <div>
          <dt>Từ lúc</dt>
          <dd>{formatViTime(alert.since)}</dd>
        </div>
        {alert.resolvedAt && (
          <div>
            <dt>Kéo dài</dt>
            <dd>{formatViDuration(alert.durationS)}</dd>
          </div>
        )}
        <div>
          <dt>Thiết bị ({alert.devices.length})</dt>
          <dd>{alert.devices.map((d) => d.name).join(', ') || '—'}</dd>
        </div>
        {alert.ackBy && (
          <div>
            <dt>Người nhận</dt>
            <dd>
              {alert.ackBy}
              {alert.ackNote ? ` — “${alert.ackNote}”` : ''} ({formatViTime(alert.ackAt)})
            </dd>
          </div>
        )}
        {alert.silenced && (
          <div>
            <dt>Không gửi tin</dt>
            <dd>{SILENCED_LABELS[alert.silencedBy ?? ''] ?? alert.silencedBy}</dd>
          </div>
        )}
      </dl>
      {open && !acking && !muting && (
        <div className="form-actions">
          {alert.state === 'firing' && (
            <button
              type="button"
              className="primary-button"
              onClick={() => setAcking(true)}
              data-testid={`ack-${alert.id}`}
            >
              Báo đã nhận
            </button>
          )}
          <button type="button" onClick={() => setMuting(true)} data-testid={`mute-${alert.id}`}>
            Tạm tắt báo…
          </button>
        </div>
      )}
      {acking && <AckForm alertId={alert.id} onDone={() => setAcking(false)} />}
      {muting && <MuteForm alert={alert} onDone={() => setMuting(false)} />}
    </li>
  );
}

const BY_KEY = 'hub.ackBy';

function AckForm({ alertId, onDone }: { alertId: string; onDone: () => void }) {
  const ack = useAcknowledge();
  const [by, setBy] = useState(() => window.localStorage.getItem(BY_KEY) ?? '');
  const [note, setNote] = useState('');
  return (
    <form
      className="ack-form"
      onSubmit={(e) => {
        e.preventDefault();
        window.localStorage.setItem(BY_KEY, by);
        ack.mutate({ id: alertId, by, note }, { onSuccess: onDone });
      }}
    >
      <label>
        Người nhận
        <input required value={by} onChange={(e) => setBy(e.target.value)} data-testid="ack-by" />
      </label>
      <label>
        Ghi chú (không bắt buộc)
        <input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="Ví dụ: đã cử người đi kiểm tra"
          data-testid="ack-note"
        />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={ack.isPending} data-testid="ack-submit">
          Xác nhận đã nhận
        </button>
        <button type="button" onClick={onDone}>
          Huỷ
        </button>
      </div>
      <ErrorNote error={ack.error} />
    </form>
  );
}
