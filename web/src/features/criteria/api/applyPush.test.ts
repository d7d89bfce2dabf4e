import type { CriteriaEvaluatedPush, Evaluation, Period, Trend } from '@commune-hub/protocol';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { FrameScheduler } from '../../realtime/index.ts';
import { applyPushToEvaluation, applyPushToTrend, coalescePush } from './applyPush.ts';
import { criteriaKeys } from './queries.ts';
import { CriteriaPushBatcher } from './useLiveCriteria.ts';

const PERIOD: Period = {
  kind: 'month',
  from: '2026-10-31T17:00:00.000Z',
  to: '2026-11-30T17:00:00.000Z',
  label: 'Tháng 11/2026',
};

function row(code: string, result: string, online: number) {
  return {
    code,
    group: '4',
    groupName: 'Hạ tầng số',
    name_vi: `Chỉ tiêu ${code}`,
    unit: 'Điểm phát',
    kind: 'count',
    target: 'Có',
    result,
    assessment: 'dat',
    assessmentLabel: 'Đạt',
    source: 'rule',
    sourceLabel: 'Tự động từ thiết bị',
    points: null,
    measured: {
      measure: 'count',
      numerator: 14,
      denominator: null,
      value: 14,
      selected: 14,
      counted: 14,
      minUptimePercent: 90,
    },
    manual: null,
    inputs: [],
    override: null,
    evidence: { counted: [], notCounted: [], coverage: [] },
    liveNow: { online, total: 14 },
    evidenceText: '',
    note: '',
  } as Evaluation['rows'][number];
}

function evaluation(): Evaluation {
  return {
    setId: 'th',
    setName: 'Thanh Hóa',
    setVersion: 1,
    decision: '1829/QĐ-UBND',
    scoring: 'pass_fail',
    commune: null,
    period: PERIOD,
    scope: null,
    evaluatedAt: '2026-11-20T00:00:00.000Z',
    rows: [row('4.5', '14 điểm', 14), row('4.6', '25 camera', 25)],
    summary: { dat: 2, khong_dat: 0, chua_danh_gia: 0, points: null },
  };
}

const push = (at: string, online: number, period = PERIOD): CriteriaEvaluatedPush => ({
  setId: 'th',
  period,
  at,
  cells: [
    {
      code: '4.5',
      result: '13 điểm',
      assessment: 'dat',
      value: 13,
      overridden: false,
      liveNow: { online, total: 14 },
    },
  ],
});

describe('live criteria pushes', () => {
  it('patch the evaluation of the same period and keep untouched rows', () => {
    const ev = evaluation();
    const next = applyPushToEvaluation(ev, push('2026-11-20T01:00:00.000Z', 13))!;
    expect(next.rows[0]).toMatchObject({ result: '13 điểm', liveNow: { online: 13, total: 14 } });
    expect(next.rows[0]!.measured?.value).toBe(13);
    expect(next.rows[1]).toBe(ev.rows[1]);
    expect(next.evaluatedAt).toBe('2026-11-20T01:00:00.000Z');
  });

  it('leave another period alone (the caller refetches it)', () => {
    const other = { ...PERIOD, kind: 'quarter' as const, from: '2026-09-30T17:00:00.000Z' };
    expect(applyPushToEvaluation(evaluation(), push('2026-11-20T01:00:00.000Z', 13, other))).toBeNull();
  });

  it('return the same object when nothing changed', () => {
    const ev = evaluation();
    const same: CriteriaEvaluatedPush = {
      ...push('x', 14),
      cells: [
        {
          code: '4.5',
          result: '14 điểm',
          assessment: 'dat',
          value: 14,
          overridden: false,
          liveNow: { online: 14, total: 14 },
        },
      ],
    };
    expect(applyPushToEvaluation(ev, same)).toBe(ev);
  });

  it('keep the newest push per set', () => {
    const pending = new Map<string, CriteriaEvaluatedPush>();
    coalescePush(pending, push('2026-11-20T01:00:02.000Z', 12));
    coalescePush(pending, push('2026-11-20T01:00:01.000Z', 13));
    expect(pending.get('th')?.cells[0]?.liveNow?.online).toBe(12);
  });

  it('replace the trend point of the pushed month', () => {
    const trend: Trend = { setId: 'th', points: [{ period: PERIOD, cells: [] }] };
    expect(applyPushToTrend(trend, push('x', 13)).points[0]!.cells).toHaveLength(1);
  });

  it('are applied once per animation frame into the query cache', () => {
    const callbacks: (() => void)[] = [];
    const frames: FrameScheduler = { request: (cb) => callbacks.push(cb), cancel: () => {} };
    const client = new QueryClient();
    client.setQueryData(criteriaKeys.evaluation('th', '2026-11'), evaluation());
    const batcher = new CriteriaPushBatcher(client, frames);
    for (let i = 0; i < 50; i++)
      batcher.push(push(`2026-11-20T01:00:${String(i).padStart(2, '0')}.000Z`, 14 - (i % 3)));
    expect(callbacks).toHaveLength(1);
    callbacks[0]!();
    const ev = client.getQueryData<Evaluation>(criteriaKeys.evaluation('th', '2026-11'))!;
    // The 50th push (i = 49, 49 % 3 = 1) wins.
    expect(ev.rows[0]!.liveNow).toEqual({ online: 13, total: 14 });
  });
});
