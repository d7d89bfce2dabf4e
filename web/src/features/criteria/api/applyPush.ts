import type { CriteriaEvaluatedPush, Evaluation, ResultCell, Trend } from '@commune-hub/protocol';

/** Folds pushes per set, the newest winning: a frame applies each set once however many arrived. */
export function coalescePush(pending: Map<string, CriteriaEvaluatedPush>, push: CriteriaEvaluatedPush): void {
  const prev = pending.get(push.setId);
  if (!prev || Date.parse(push.at) >= Date.parse(prev.at)) pending.set(push.setId, push);
}

const samePeriod = (a: { from: string; to: string; kind: string }, b: { from: string; kind: string }) =>
  a.kind === b.kind && Date.parse(a.from) === Date.parse(b.from);

/**
 * The evaluation with the pushed cells applied, when the push is about the same period; otherwise null
 * (the caller refetches). Unchanged rows keep their identity so their cards do not re-render.
 */
export function applyPushToEvaluation(ev: Evaluation, push: CriteriaEvaluatedPush): Evaluation | null {
  if (ev.setId !== push.setId || !samePeriod(ev.period, push.period) || ev.scope) return null;
  const cells = new Map(push.cells.map((c) => [c.code, c]));
  let changed = false;
  const rows = ev.rows.map((row) => {
    const cell = cells.get(row.code);
    if (!cell || sameCell(row, cell)) return row;
    changed = true;
    return {
      ...row,
      result: cell.result,
      assessment: cell.assessment,
      liveNow: cell.liveNow,
      measured: row.measured && { ...row.measured, value: cell.value },
    };
  });
  if (!changed) return ev;
  const summary = { ...ev.summary, dat: 0, khong_dat: 0, chua_danh_gia: 0 };
  for (const r of rows) summary[r.assessment]++;
  return { ...ev, rows, summary, evaluatedAt: push.at };
}

function sameCell(row: Evaluation['rows'][number], cell: ResultCell): boolean {
  return (
    row.result === cell.result &&
    row.assessment === cell.assessment &&
    row.liveNow?.online === cell.liveNow?.online &&
    row.liveNow?.total === cell.liveNow?.total
  );
}

/** The trend with its point for the pushed period replaced (the current month moves live too). */
export function applyPushToTrend(trend: Trend, push: CriteriaEvaluatedPush): Trend {
  if (trend.setId !== push.setId) return trend;
  let changed = false;
  const points = trend.points.map((p) => {
    if (!samePeriod(p.period, push.period)) return p;
    changed = true;
    return { ...p, cells: push.cells };
  });
  return changed ? { ...trend, points } : trend;
}
