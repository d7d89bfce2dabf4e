import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceKind, Evaluation, LocationType, ManualEntry } from '@commune-hub/protocol';
import { type EvalDevice, evaluateSet } from '../evaluate.ts';
import { parseCriteriaFile } from '../load.ts';
import { namedPeriod } from '../period.ts';

/**
 * Test data for the export builders: the shipped Thanh Hóa set evaluated by the real evaluator over a
 * small Hoàng Kim-like fleet, with manual evidence that looks like formulas. Tests only.
 */
const setsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../criteria-sets');

export const FORMULA_TEXTS = [
  '=HYPERLINK("http://evil.example","Bấm vào đây")',
  '+cmd|/c calc',
  '@SUM(A1:A9)',
];

const VILLAGES = ['Thôn Đông', 'Thôn Tây', 'Thôn Nam'].map((name, i) => ({
  id: `thon-${i + 1}`,
  name,
  formerCommuneId: i < 2 ? 'hoang-kim-cu' : 'hoang-xuyen',
  formerCommune: i < 2 ? 'Xã Hoàng Kim (cũ)' : 'Xã Hoằng Xuyên (cũ)',
}));

export function annexEvaluation(): Evaluation {
  const parsed = parseCriteriaFile(
    path.join(setsDir, 'thanh-hoa-1829-2023.yaml'),
    fs.readFileSync(path.join(setsDir, 'thanh-hoa-1829-2023.yaml'), 'utf8'),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const period = namedPeriod('2026-10');
  const span = (period.to - period.from) / 1000;
  const devices: EvalDevice[] = [];
  const add = (
    kind: DeviceKind,
    n: number,
    locationType: LocationType | null,
    upShare: (i: number) => number,
  ) => {
    for (let i = 0; i < n; i++) {
      const v = VILLAGES[i % VILLAGES.length]!;
      const share = upShare(i);
      devices.push({
        id: `${kind}-${i + 1}`,
        name: `${kind === 'wifi' ? 'Wifi' : kind === 'camera' ? 'Camera' : kind === 'loudspeaker' ? 'Cụm loa' : 'Máy'} ${v.name} số ${i + 1}`,
        kind,
        villageId: v.id,
        village: v.name,
        formerCommuneId: v.formerCommuneId,
        formerCommune: v.formerCommune,
        siteId: locationType ? `site-${kind}-${i}` : null,
        site: locationType ? `Nhà văn hóa ${v.name}` : null,
        locationType,
        tags: [],
        disabled: false,
        createdAt: period.from - 86_400_000,
        up_s: span * share,
        down_s: span * (1 - share),
        unknown_s: 0,
        maintenance_s: 0,
        ratio: share,
        firstSeen: period.from + 60_000,
        lastSeen: period.to - 60_000,
        onlineNow: false,
      });
    }
  };
  // 15 wifi points, the last one down most of the month; 25 cameras; loudspeakers in every village.
  add('wifi', 15, 'cultural_house', (i) => (i === 14 ? 0.4 : 0.99));
  add('camera', 25, 'crossroads', () => 0.97);
  add('loudspeaker', 6, null, () => 0.95);
  add('conference', 1, 'commune_office', () => 1);
  add('pc', 21, 'commune_office', () => 0.98);
  // The malicious wifi name: a formula in a device name must also stay text.
  devices[0]!.name = FORMULA_TEXTS[0]!;

  const at = new Date(period.to + 3_600_000).toISOString();
  const entry = (
    id: number,
    type: ManualEntry['type'],
    target: string,
    value: ManualEntry['value'],
    text: string,
    docNumber?: string,
  ) =>
    ({
      id,
      setId: parsed.loaded.set.id,
      type,
      target,
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      value,
      evidence: docNumber ? { text, docNumber, docDate: '2026-01-15' } : { text },
      reason: null,
      by: 'Nguyễn Thị Hằng',
      at,
      withdrawnAt: null,
      withdrawnBy: null,
    }) satisfies ManualEntry;
  const entries = [
    entry(1, 'input', 'cbcc', 21, 'Quyết định giao biên chế năm 2026', '125/QĐ-UBND'),
    entry(2, 'value', '1.1', true, FORMULA_TEXTS[0]!),
    entry(3, 'value', '4.8', true, FORMULA_TEXTS[1]!),
    entry(4, 'value', '4.1', 100, FORMULA_TEXTS[2]!),
  ];
  return evaluateSet({
    loaded: parsed.loaded,
    period,
    devices,
    villages: VILLAGES,
    sites: [],
    entries,
    commune: {
      id: 'hoang-kim',
      name: 'Xã Hoàng Kim',
      province: 'Thanh Hóa',
      formerCommunes: [
        { id: 'hoang-kim-cu', name: 'Xã Hoàng Kim (cũ)' },
        { id: 'hoang-xuyen', name: 'Xã Hoằng Xuyên (cũ)' },
      ],
    },
    evaluatedAt: period.to + 7_200_000,
  });
}
