import type { AlertSchedule, AlertScheduleInput, WeeklySpan } from '@commune-hub/protocol';
import { useState } from 'react';
import { useShellWords } from '../../../i18n/shell.ts';
import { schedulesApi } from '../api/alertsApi.ts';
import { WEEKDAY_LABELS } from '../labels.ts';
import { ErrorNote } from './ErrorNote.tsx';

interface Draft {
  id?: string;
  name: string;
  hours: WeeklySpan[];
  publicHolidays: boolean;
  daysOff: string;
  workingDays: string;
}

/** Office hours of a one-stop shop: Monday to Friday 7:30–11:30 and 13:30–17:00. */
const OFFICE_HOURS: WeeklySpan[] = [
  { days: [1, 2, 3, 4, 5], from: '07:30', to: '11:30' },
  { days: [1, 2, 3, 4, 5], from: '13:30', to: '17:00' },
];

const empty = (): Draft => ({
  name: '',
  hours: OFFICE_HOURS,
  publicHolidays: true,
  daysOff: '',
  workingDays: '',
});
const lines = (s: string) => s.split(/[\s,;]+/).filter(Boolean);

function toDraft(s: AlertSchedule): Draft {
  return {
    id: s.id,
    name: s.name,
    hours: s.hours,
    publicHolidays: s.publicHolidays,
    daysOff: s.daysOff.join('\n'),
    workingDays: s.workingDays.join('\n'),
  };
}

function toInput(d: Draft): AlertScheduleInput {
  return {
    name: d.name,
    hours: d.hours,
    publicHolidays: d.publicHolidays,
    daysOff: lines(d.daysOff),
    workingDays: lines(d.workingDays),
  };
}

const describe = (h: WeeklySpan) =>
  `${[...h.days]
    .sort()
    .map((n) => WEEKDAY_LABELS[n])
    .join(', ')}: ${h.from}–${h.to}`;

/**
 * Working hours per device group, Vietnamese public holidays (Tết and Giỗ Tổ included, from the hub),
 * extra days off and make-up working days (ngày làm bù). The hub refuses overlapping or inverted hours.
 */
/**
 * `canEdit` (admins): add, change and delete; other roles read the schedules only. A schedule reaches every
 * commune: an admin of some communes gets none `editable` from the hub and `canAdd` false (province only).
 */
export function ScheduleEditor({ canEdit, canAdd }: { canEdit: boolean; canAdd: boolean }) {
  const words = useShellWords();
  const list = schedulesApi.useList();
  const save = schedulesApi.useSave();
  const remove = schedulesApi.useRemove();
  const [d, setD] = useState<Draft | null>(null);
  const setSpan = (i: number, patch: Partial<WeeklySpan>) =>
    setD((cur) =>
      cur ? { ...cur, hours: cur.hours.map((h, j) => (j === i ? { ...h, ...patch } : h)) } : cur,
    );

  return (
    <section className="alerts-section" aria-labelledby="schedules-title">
      <div className="section-head">
        <h2 id="schedules-title">Lịch làm việc</h2>
        {canEdit && canAdd && (
          <button
            type="button"
            className="primary-button"
            onClick={() => setD(empty())}
            data-testid="schedule-add"
          >
            + Thêm lịch
          </button>
        )}
      </div>
      {!canEdit && (
        <p className="notice" data-testid="schedules-read-only">
          Chỉ quản trị viên được thêm, sửa hoặc xoá lịch làm việc.
        </p>
      )}
      {canEdit && !canAdd && (
        <p className="notice" data-testid="schedules-province-only">
          {words.schedulesProvinceOnly}
        </p>
      )}
      <ErrorNote error={remove.error} />
      {list.isError && <p className="notice notice-error">Không tải được lịch: {list.error.message}</p>}
      <ul className="editor-list">
        {(list.data ?? []).map((s) => (
          <li key={s.id} className="editor-item" data-testid={`schedule-${s.id}`}>
            <div className="editor-item-main">
              <strong>{s.name}</strong>
              {s.hours.map((h) => (
                <span key={`${h.days.join()}-${h.from}`} className="muted">
                  {describe(h)}
                </span>
              ))}
              <span className="muted">
                {s.publicHolidays ? 'Nghỉ các ngày lễ, Tết' : 'Làm cả ngày lễ'}
                {s.daysOff.length ? ` · ${s.daysOff.length} ngày nghỉ thêm` : ''}
                {s.workingDays.length ? ` · ${s.workingDays.length} ngày làm bù` : ''}
              </span>
            </div>
            {canEdit && s.editable && (
              <div className="editor-item-actions">
                <button type="button" onClick={() => setD(toDraft(s))}>
                  Sửa
                </button>
                <button
                  type="button"
                  className="danger-button"
                  onClick={() => window.confirm(`Xoá lịch "${s.name}"?`) && remove.mutate(s.id)}
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
          data-testid="schedule-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ id: d.id, input: toInput(d) }, { onSuccess: () => setD(null) });
          }}
        >
          <h3>{d.id ? 'Sửa lịch' : 'Thêm lịch'}</h3>
          <label>
            Tên lịch
            <input
              required
              value={d.name}
              onChange={(e) => setD({ ...d, name: e.target.value })}
              placeholder="Giờ làm việc bộ phận một cửa"
            />
          </label>
          {d.hours.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: spans have no identity of their own; inputs are controlled
            <fieldset key={i} className="span-row">
              <legend>Khung giờ {i + 1}</legend>
              <div className="weekdays">
                {[1, 2, 3, 4, 5, 6, 7].map((n) => (
                  <label key={n} className="check">
                    <input
                      type="checkbox"
                      checked={h.days.includes(n)}
                      onChange={(e) =>
                        setSpan(i, {
                          days: e.target.checked ? [...h.days, n] : h.days.filter((x) => x !== n),
                        })
                      }
                    />
                    {WEEKDAY_LABELS[n]}
                  </label>
                ))}
              </div>
              <div className="form-row">
                <label>
                  Từ
                  <input type="time" value={h.from} onChange={(e) => setSpan(i, { from: e.target.value })} />
                </label>
                <label>
                  Đến
                  <input type="time" value={h.to} onChange={(e) => setSpan(i, { to: e.target.value })} />
                </label>
                <button
                  type="button"
                  className="danger-button"
                  onClick={() => setD({ ...d, hours: d.hours.filter((_, j) => j !== i) })}
                >
                  Bỏ
                </button>
              </div>
            </fieldset>
          ))}
          <button
            type="button"
            onClick={() =>
              setD({ ...d, hours: [...d.hours, { days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' }] })
            }
          >
            + Thêm khung giờ
          </button>
          <label className="check">
            <input
              type="checkbox"
              checked={d.publicHolidays}
              onChange={(e) => setD({ ...d, publicHolidays: e.target.checked })}
            />
            Nghỉ các ngày lễ, Tết (Tết Nguyên đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9…)
          </label>
          <label>
            Ngày nghỉ thêm (mỗi dòng một ngày, dạng 2027-02-12)
            <textarea rows={2} value={d.daysOff} onChange={(e) => setD({ ...d, daysOff: e.target.value })} />
          </label>
          <label>
            Ngày làm bù (mỗi dòng một ngày)
            <textarea
              rows={2}
              value={d.workingDays}
              onChange={(e) => setD({ ...d, workingDays: e.target.value })}
            />
          </label>
          <div className="form-actions">
            <button type="submit" className="primary-button" disabled={save.isPending}>
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
