import type { CriteriaSetFile, CriterionDef, ManualEntry } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { type EvalDevice, type EvaluationInput, evaluateSet } from './evaluate.ts';
import { namedPeriod } from './period.ts';

const period = namedPeriod('2026-10');
const H = 3_600_000;

function device(id: string, over: Partial<EvalDevice> = {}): EvalDevice {
  return {
    id,
    name: `Thiết bị ${id}`,
    kind: 'wifi',
    villageId: 'thon-1',
    village: 'Thôn 1',
    formerCommuneId: 'xa-a',
    formerCommune: 'Xã A',
    siteId: 'nvh-1',
    site: 'Nhà văn hóa thôn 1',
    locationType: 'cultural_house',
    tags: [],
    disabled: false,
    createdAt: period.from - 100 * H,
    up_s: 990,
    down_s: 10,
    unknown_s: 0,
    maintenance_s: 0,
    ratio: 0.99,
    firstSeen: period.from,
    lastSeen: period.to - 1,
    onlineNow: true,
    ...over,
  };
}

const up = (ratio: number) => ({ up_s: ratio * 1000, down_s: (1 - ratio) * 1000, ratio });

function setOf(criteria: CriterionDef[], extra: Partial<CriteriaSetFile> = {}): EvaluationInput['loaded'] {
  return {
    file: 'x.yaml',
    sha256: 'x',
    set: {
      id: 'x',
      name: 'Bộ thử',
      decision: { number: '1/QĐ', issuer: 'UBND' },
      version: 3,
      scoring: 'pass_fail',
      groups: [{ code: '4', name_vi: 'Hạ tầng số' }],
      inputs: [{ key: 'cbcc', name_vi: 'Số CBCC', unit: 'người', valueType: 'number' }],
      criteria,
      ...extra,
    },
  };
}

const wifiCount: CriterionDef = {
  code: '4.5',
  group: '4',
  name_vi: 'Wifi',
  unit: 'Điểm phát',
  kind: 'count',
  target: { text: 'Có', min: 1 },
  rule: {
    measure: 'count',
    devices: { kinds: ['wifi'], locationTypes: ['cultural_house', 'commune_office'] },
    minUptimePercent: 90,
    resultUnit: 'điểm',
  },
};
const pcRatio: CriterionDef = {
  code: '4.3',
  group: '4',
  name_vi: 'Máy tính CBCC',
  unit: '%',
  kind: 'percentage',
  target: { text: '100%', min: 100 },
  rule: { measure: 'ratio', devices: { kinds: ['pc'] }, minUptimePercent: 90, denominator: 'cbcc' },
};
const loaCoverage: CriterionDef = {
  code: '4.7',
  group: '4',
  name_vi: 'Loa',
  unit: 'Đài',
  kind: 'presence',
  target: { text: 'Có' },
  rule: { measure: 'coverage', devices: { kinds: ['loudspeaker'] }, coverage: { unit: 'village' } },
};
const manualPct: CriterionDef = {
  code: '1.6',
  group: '4',
  name_vi: 'Hồ sơ trực tuyến',
  unit: '%',
  kind: 'percentage',
  target: { text: '70%', min: 70 },
  manual: { valueType: 'percent' },
};

let nextId = 1;
function entry(
  type: ManualEntry['type'],
  target: string,
  value: ManualEntry['value'],
  at = '2026-11-01T00:00:00.000Z',
): ManualEntry {
  return {
    id: nextId++,
    setId: 'x',
    type,
    target,
    from: '2026-01-01T00:00:00.000Z',
    to: '2027-01-01T00:00:00.000Z',
    value,
    evidence: { docNumber: '12/BC-UBND', docDate: '2026-10-30' },
    reason: type === 'override' ? 'thiết bị hỏng cảm biến' : null,
    by: 'Nguyễn Văn A',
    at,
    withdrawnAt: null,
    withdrawnBy: null,
  };
}

const villages = [
  { id: 'thon-1', name: 'Thôn 1', formerCommuneId: 'xa-a', formerCommune: 'Xã A' },
  { id: 'thon-2', name: 'Thôn 2', formerCommuneId: 'xa-b', formerCommune: 'Xã B' },
];

function run(
  criteria: CriterionDef[],
  devices: EvalDevice[],
  entries: ManualEntry[] = [],
  extra: Partial<EvaluationInput> = {},
) {
  return evaluateSet({
    loaded: setOf(criteria),
    period,
    devices,
    villages,
    sites: [],
    entries,
    commune: null,
    evaluatedAt: period.to + H,
    ...extra,
  });
}

describe('evaluateSet', () => {
  const cases: Array<{
    name: string;
    criterion: CriterionDef;
    devices: EvalDevice[];
    entries?: ManualEntry[];
    result: string;
    assessment: string;
    notCounted?: Record<string, string>;
  }> = [
    {
      name: 'count: only wifi at the listed location types that met the uptime rule',
      criterion: wifiCount,
      devices: [
        device('w1'),
        device('w2', { ...up(0.95), locationType: 'commune_office' }),
        device('w3', up(0.5)),
        device('w4', { locationType: 'school' }),
        device('w5', { locationType: null, siteId: null }),
        device('w6', { up_s: 0, down_s: 0, ratio: null, firstSeen: null, lastSeen: null }),
        device('c1', { kind: 'camera' }),
      ],
      result: '2 điểm',
      assessment: 'dat',
      notCounted: {
        w3: 'uptime_below_min',
        w4: 'location_type_excluded',
        w5: 'location_type_excluded',
        w6: 'no_data',
      },
    },
    {
      name: 'count: none counted is Không đạt against min 1',
      criterion: wifiCount,
      devices: [device('w1', up(0.2))],
      result: '0 điểm',
      assessment: 'khong_dat',
    },
    {
      name: 'ratio: 21 PCs over 21 officials is 100%',
      criterion: pcRatio,
      devices: Array.from({ length: 21 }, (_, i) => device(`pc${i}`, { kind: 'pc' })),
      entries: [entry('input', 'cbcc', 21)],
      result: '100%',
      assessment: 'dat',
    },
    {
      name: 'ratio: 20 up of 21 is 95,2% and Không đạt',
      criterion: pcRatio,
      devices: [
        ...Array.from({ length: 20 }, (_, i) => device(`pc${i}`, { kind: 'pc' })),
        device('pc20', { kind: 'pc', ...up(0.1) }),
      ],
      entries: [entry('input', 'cbcc', 21)],
      result: '95,2%',
      assessment: 'khong_dat',
    },
    {
      name: 'ratio without the manual input is not assessed',
      criterion: pcRatio,
      devices: [device('pc1', { kind: 'pc' })],
      result: '',
      assessment: 'chua_danh_gia',
    },
    {
      name: 'ratio uses the newest input entry',
      criterion: pcRatio,
      devices: [device('pc1', { kind: 'pc' })],
      entries: [
        entry('input', 'cbcc', 1, '2026-11-02T00:00:00.000Z'),
        entry('input', 'cbcc', 4, '2026-11-01T00:00:00.000Z'),
      ],
      result: '100%',
      assessment: 'dat',
    },
    {
      name: 'coverage: every village has a loudspeaker',
      criterion: loaCoverage,
      devices: [
        device('l1', { kind: 'loudspeaker' }),
        device('l2', { kind: 'loudspeaker', villageId: 'thon-2' }),
      ],
      result: 'Có',
      assessment: 'dat',
    },
    {
      name: 'coverage: a village without a working loudspeaker',
      criterion: loaCoverage,
      devices: [
        device('l1', { kind: 'loudspeaker' }),
        device('l2', { kind: 'loudspeaker', villageId: 'thon-2', up_s: 0, down_s: 100, ratio: 0 }),
      ],
      result: '1/2 thôn',
      assessment: 'khong_dat',
    },
    {
      name: 'manual percentage as the commune writes it',
      criterion: manualPct,
      devices: [],
      entries: [entry('value', '1.6', 82.9)],
      result: '82,9%',
      assessment: 'dat',
    },
    {
      name: 'manual criterion without a value is not assessed',
      criterion: manualPct,
      devices: [],
      result: '',
      assessment: 'chua_danh_gia',
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const row = run([c.criterion], c.devices, c.entries)[`rows`][0]!;
      expect(row.result).toBe(c.result);
      expect(row.assessment).toBe(c.assessment);
      if (c.notCounted) {
        expect(Object.fromEntries(row.evidence.notCounted.map((d) => [d.id, d.reason]))).toEqual(
          c.notCounted,
        );
        for (const d of row.evidence.notCounted) expect(d.reasonLabel).toMatch(/\S/);
      }
    });
  }

  it('an override replaces the result but keeps the computation beside it', () => {
    const row = run([wifiCount], [device('w1', up(0.5))], [entry('override', '4.5', 3)]).rows[0]!;
    expect(row.source).toBe('override');
    expect(row.result).toBe('3 điểm');
    expect(row.assessment).toBe('dat');
    expect(row.override?.computedResult).toBe('0 điểm');
    expect(row.override?.computedAssessment).toBe('khong_dat');
    expect(row.note).toContain('kết quả tự động là "0 điểm"');
    expect(row.evidence.notCounted.map((d) => d.id)).toEqual(['w1']);
  });

  it('scopes devices and coverage units to one former commune', () => {
    const devices = [
      device('l1', { kind: 'loudspeaker' }),
      device('l2', { kind: 'loudspeaker', villageId: 'thon-2', formerCommuneId: 'xa-b' }),
    ];
    const e = run([loaCoverage], devices, [], { scope: { formerCommune: 'xa-b' } });
    expect(e.rows[0]!.measured).toMatchObject({ numerator: 1, denominator: 1 });
    expect(e.rows[0]!.evidence.counted.map((d) => d.id)).toEqual(['l2']);
    expect(e.scope).toEqual({ formerCommune: 'xa-b' });
  });

  it('liveNow only when the period contains now', () => {
    const devices = [device('w1'), device('w2', { onlineNow: false })];
    expect(run([wifiCount], devices).rows[0]!.liveNow).toBeNull();
    const live = run([wifiCount], devices, [], { evaluatedAt: period.from + H });
    expect(live.rows[0]!.liveNow).toEqual({ online: 1, total: 2, needed: 1 });
  });

  it.each([
    ['count: the target minimum', [wifiCount], [], 1],
    ['ratio 100% of 21 officials', [pcRatio], [['cbcc', 21]], 21],
    [
      'ratio 95% of 21 (20/21 = 95.2%)',
      [{ ...pcRatio, target: { text: '95%', min: 95 } }],
      [['cbcc', 21]],
      20,
    ],
    ['ratio without its input: no count', [pcRatio], [], undefined],
    ['coverage: units, not devices', [loaCoverage], [], undefined],
    [
      'presence rule: minCount',
      [{ ...loaCoverage, rule: { measure: 'presence', devices: { kinds: ['loudspeaker'] }, minCount: 2 } }],
      [],
      2,
    ],
  ] as const)('liveNow.needed, %s', (_what, criteria, inputs, needed) => {
    const entries = inputs.map(([key, v]) => entry('input', key, v));
    const e = run([...criteria] as CriterionDef[], [device('w1')], entries, { evaluatedAt: period.from + H });
    expect(e.rows[0]!.liveNow?.needed).toBe(needed);
  });

  it('points: Đạt scores the row, the summary adds up', () => {
    const loaded = setOf(
      [
        { ...wifiCount, points: 10 },
        { ...loaCoverage, points: 5 },
      ],
      { scoring: 'points' },
    );
    const e = evaluateSet({
      loaded,
      period,
      devices: [device('w1')],
      villages,
      sites: [],
      entries: [],
      commune: null,
      evaluatedAt: period.to,
    });
    expect(e.summary).toEqual({ dat: 1, khong_dat: 1, chua_danh_gia: 0, points: { scored: 10, max: 15 } });
  });

  it('is pure: the same input gives the same output', () => {
    const devices = [device('w1'), device('w2', up(0.3))];
    expect(run([wifiCount, loaCoverage], devices)).toEqual(run([wifiCount, loaCoverage], devices));
  });
});
