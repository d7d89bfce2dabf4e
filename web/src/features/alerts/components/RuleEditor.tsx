import {
  ALERT_METRICS,
  CONDITION_KINDS,
  type ConditionKind,
  type DeviceKind,
  OUTSIDE_SCHEDULE,
  type OutsideSchedule,
  THRESHOLD_OPS,
  type ThresholdOp,
} from '@commune-hub/protocol';
import { useState } from 'react';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useShellWords } from '../../../i18n/shell.ts';
import { channelsApi, rulesApi, schedulesApi, useVillages } from '../api/alertsApi.ts';
import { CONDITION_LABELS, METRIC_LABELS, OP_LABELS, OUTSIDE_SCHEDULE_LABELS } from '../labels.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { DEVICE_KINDS, type Draft, empty, toDraft, toInput } from './ruleDraft.ts';

function Checks<T extends string>(p: {
  label: string;
  options: Array<[T, string]>;
  value: T[];
  onChange: (v: T[]) => void;
}) {
  return (
    <fieldset className="checks">
      <legend>{p.label}</legend>
      {p.options.length === 0 && <span className="muted">(chưa có)</span>}
      {p.options.map(([v, l]) => (
        <label key={v} className="check">
          <input
            type="checkbox"
            checked={p.value.includes(v)}
            onChange={(e) => p.onChange(e.target.checked ? [...p.value, v] : p.value.filter((x) => x !== v))}
          />
          {l}
        </label>
      ))}
    </fieldset>
  );
}

/** Rules as data: what to watch, where, for how long, and whom to tell (with reminders and escalation). */
/**
 * `canEdit` (admins): add, change and delete; other roles read the rules only. A rule the hub answers as
 * not `editable` (hub-wide, for an admin of some communes) is read-only here too: the hub would refuse it.
 */
export function RuleEditor({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const words = useShellWords();
  const rules = rulesApi.useList();
  const save = rulesApi.useSave();
  const remove = rulesApi.useRemove();
  const channels = channelsApi.useList(canEdit);
  const schedules = schedulesApi.useList();
  const villages = useVillages();
  const [d, setD] = useState<Draft | null>(null);
  const channelOptions = (channels.data ?? []).map((c) => [c.id, c.name] as [string, string]);
  const set = (patch: Partial<Draft>) => setD((cur) => (cur ? { ...cur, ...patch } : cur));

  return (
    <section className="alerts-section" aria-labelledby="rules-title">
      <div className="section-head">
        <h2 id="rules-title">Quy tắc cảnh báo</h2>
        {canEdit && (
          <button
            type="button"
            className="primary-button"
            onClick={() => setD(empty())}
            data-testid="rule-add"
          >
            + Thêm quy tắc
          </button>
        )}
      </div>
      {!canEdit && (
        <p className="notice" data-testid="rules-read-only">
          Chỉ quản trị viên được thêm, sửa hoặc xoá quy tắc.
        </p>
      )}
      <ErrorNote error={remove.error} />
      {rules.isError && <p className="notice notice-error">Không tải được quy tắc: {rules.error.message}</p>}
      <ul className="editor-list">
        {(rules.data ?? []).map((r) => (
          <li key={r.id} className="editor-item" data-testid={`rule-${r.id}`}>
            <div className="editor-item-main">
              <strong>{r.name}</strong>
              <span className="muted">
                {CONDITION_LABELS[r.condition.kind]}
                {'forMin' in r.condition && r.condition.forMin ? ` · ${r.condition.forMin} phút` : ''}
                {r.enabled ? '' : ' · đang tắt'}
              </span>
              <span className="muted">
                Gửi tới:{' '}
                {r.notify.channelIds
                  .map((id) => channelOptions.find(([c]) => c === id)?.[1] ?? id)
                  .join(', ') || '—'}
              </span>
            </div>
            {canEdit && !r.editable && (
              <span className="muted" data-testid={`rule-${r.id}-read-only`}>
                {words.hubWideReadOnly}
              </span>
            )}
            {canEdit && r.editable && (
              <div className="editor-item-actions">
                <button type="button" onClick={() => setD(toDraft(r))}>
                  Sửa
                </button>
                <button
                  type="button"
                  className="danger-button"
                  onClick={() => window.confirm(`Xoá quy tắc "${r.name}"?`) && remove.mutate(r.id)}
                >
                  Xoá
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {canEdit && d && (
        <form
          className="editor-form"
          data-testid="rule-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ id: d.id, input: toInput(d) }, { onSuccess: () => setD(null) });
          }}
        >
          <h3>{d.id ? 'Sửa quy tắc' : 'Thêm quy tắc'}</h3>
          <label>
            Tên quy tắc
            <input
              required
              value={d.name}
              onChange={(e) => set({ name: e.target.value })}
              data-testid="rule-name"
            />
          </label>
          <label>
            Khi nào cảnh báo
            <select
              value={d.kind}
              onChange={(e) => set({ kind: e.target.value as ConditionKind })}
              data-testid="rule-kind"
            >
              {CONDITION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {CONDITION_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          {d.kind === 'flapping' && (
            <div className="form-row">
              <label>
                Quá số lần đổi trạng thái
                <input
                  type="number"
                  value={d.transitions}
                  onChange={(e) => set({ transitions: e.target.value })}
                />
              </label>
              <label>
                Trong (phút)
                <input
                  type="number"
                  value={d.withinMin}
                  onChange={(e) => set({ withinMin: e.target.value })}
                />
              </label>
            </div>
          )}
          {d.kind === 'device_fault' && (
            <label>
              Mã lỗi (cách nhau dấu phẩy; để trống = mọi lỗi)
              <input
                value={d.faults}
                onChange={(e) => set({ faults: e.target.value })}
                placeholder="amplifier_fault, disk_full"
              />
            </label>
          )}
          {d.kind === 'metric_threshold' && (
            <div className="form-row">
              <label>
                Chỉ số
                <select value={d.metric} onChange={(e) => set({ metric: e.target.value })}>
                  {ALERT_METRICS.map((m) => (
                    <option key={m} value={m}>
                      {METRIC_LABELS[m] ?? m}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                So sánh
                <select value={d.op} onChange={(e) => set({ op: e.target.value as ThresholdOp })}>
                  {THRESHOLD_OPS.map((o) => (
                    <option key={o} value={o}>
                      {OP_LABELS[o]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Ngưỡng
                <input
                  type="number"
                  step="any"
                  value={d.value}
                  onChange={(e) => set({ value: e.target.value })}
                />
              </label>
            </div>
          )}
          {d.kind === 'uptime_below' && (
            <div className="form-row">
              <label>
                Mục tiêu (%)
                <input
                  type="number"
                  step="any"
                  value={d.targetPct}
                  onChange={(e) => set({ targetPct: e.target.value })}
                />
              </label>
              <label>
                Trong (giờ gần nhất)
                <input
                  type="number"
                  value={d.windowHours}
                  onChange={(e) => set({ windowHours: e.target.value })}
                />
              </label>
            </div>
          )}
          {d.kind === 'criterion_at_risk' && (
            <div className="form-row">
              <label>
                Bộ chỉ tiêu (mã)
                <input
                  value={d.setId}
                  onChange={(e) => set({ setId: e.target.value })}
                  placeholder="thanh-hoa-1829-2023"
                  data-testid="rule-set-id"
                />
              </label>
              <label>
                Mã chỉ tiêu (cách nhau dấu phẩy; để trống = mọi chỉ tiêu đo từ thiết bị)
                <input
                  value={d.criterionIds}
                  onChange={(e) => set({ criterionIds: e.target.value })}
                  placeholder="4.5, 4.6"
                />
              </label>
              <label>
                Báo khi số thiết bị đang hoạt động dưới (để trống = mức chỉ tiêu cần)
                <input
                  type="number"
                  value={d.minOnline}
                  onChange={(e) => set({ minOnline: e.target.value })}
                />
              </label>
              <label>
                Hoặc báo sớm trước mức cần (số thiết bị)
                <input type="number" value={d.margin} onChange={(e) => set({ margin: e.target.value })} />
              </label>
            </div>
          )}
          {['offline_for', 'degraded_for', 'metric_threshold', 'device_fault', 'criterion_at_risk'].includes(
            d.kind,
          ) && (
            <label>
              Kéo dài quá (phút)
              <input
                type="number"
                step="any"
                value={d.forMin}
                onChange={(e) => set({ forMin: e.target.value })}
                data-testid="rule-for"
              />
            </label>
          )}
          <Checks
            label="Thôn (để trống = mọi thôn)"
            options={(villages.data ?? []).map((v) => [v.id, v.name] as [string, string])}
            value={d.villageIds}
            onChange={(villageIds) => set({ villageIds })}
          />
          <Checks
            label="Loại thiết bị (để trống = mọi loại)"
            options={DEVICE_KINDS.map((k) => [k, t.kinds[k]] as [DeviceKind, string])}
            value={d.kinds}
            onChange={(kinds) => set({ kinds })}
          />
          <Checks
            label="Gửi tới kênh"
            options={channelOptions}
            value={d.channelIds}
            onChange={(channelIds) => set({ channelIds })}
          />
          <div className="form-row">
            <label>
              Nhắc lại mỗi (phút; trống = không)
              <input
                type="number"
                value={d.renotifyEveryMin}
                onChange={(e) => set({ renotifyEveryMin: e.target.value })}
              />
            </label>
            <label>
              Nhắc tối đa (lần)
              <input
                type="number"
                value={d.renotifyMax}
                onChange={(e) => set({ renotifyMax: e.target.value })}
              />
            </label>
          </div>
          <label>
            Chưa ai nhận sau (phút) thì báo thêm
            <input
              type="number"
              value={d.escalateAfterMin}
              onChange={(e) => set({ escalateAfterMin: e.target.value })}
            />
          </label>
          <Checks
            label="Báo thêm tới kênh"
            options={channelOptions}
            value={d.escalateChannelIds}
            onChange={(escalateChannelIds) => set({ escalateChannelIds })}
          />
          <div className="form-row">
            <label>
              Lịch làm việc
              <select value={d.scheduleId} onChange={(e) => set({ scheduleId: e.target.value })}>
                <option value="">Luôn theo dõi (24/7)</option>
                {(schedules.data ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Ngoài giờ làm việc
              <select
                value={d.outsideSchedule}
                onChange={(e) => set({ outsideSchedule: e.target.value as OutsideSchedule })}
              >
                {OUTSIDE_SCHEDULE.map((o) => (
                  <option key={o} value={o}>
                    {OUTSIDE_SCHEDULE_LABELS[o]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form-actions">
            <button
              type="submit"
              className="primary-button"
              disabled={save.isPending}
              data-testid="rule-save"
            >
              Lưu
            </button>
            <button type="button" onClick={() => setD(null)}>
              Huỷ
            </button>
          </div>
          <ErrorNote error={save.error} />
        </form>
      )}
    </section>
  );
}
