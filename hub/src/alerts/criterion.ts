import type { AlertCondition, DeviceKind, Evaluation } from '@commune-hub/protocol';

/**
 * `criterion_at_risk`: what the engine keeps of a live criteria evaluation and the pure "at risk" test.
 * The criteria part publishes `criteria.evaluated` for the current month; the engine never reads its
 * internals, only these rows.
 */

export type CriterionCondition = Extract<AlertCondition, { kind: 'criterion_at_risk' }>;

/** One row of a live evaluation, as much as alerting needs. */
export interface CriterionSnapshot {
  setId: string;
  code: string;
  name: string;
  /** Kinds of the devices the rule selects (from the evidence), for a short title: "điểm wifi". */
  kinds: DeviceKind[];
  assessment: 'dat' | 'khong_dat' | 'chua_danh_gia';
  /** Assessed from devices (a rule, or its override); a manual row (even with device evidence) is not. */
  measured: boolean;
  liveNow: { online: number; total: number; needed?: number } | null;
  /** The devices the live count looks at (counted or not for uptime, but of the right place and tags). */
  deviceIds: string[];
}

/** Reasons a device is not even in the live count (evaluate.ts's liveNow selection). */
const OUTSIDE_SELECTION = new Set(['location_type_excluded', 'tags_missing']);

export function snapshotsOf(evaluation: Evaluation): CriterionSnapshot[] {
  return evaluation.rows.map((r) => {
    const devices = [...r.evidence.counted, ...r.evidence.notCounted].filter(
      (d) => d.reason == null || !OUTSIDE_SELECTION.has(d.reason),
    );
    return {
      setId: evaluation.setId,
      code: r.code,
      name: r.name_vi,
      kinds: [...new Set(devices.map((d) => d.kind))],
      assessment: r.assessment,
      measured: r.measured != null && (r.source === 'rule' || r.source === 'override'),
      liveNow: r.liveNow,
      deviceIds: devices.map((d) => d.id).sort(),
    };
  });
}

export interface RiskVerdict {
  atRisk: boolean;
  /** The live count below which the criterion is at risk, when there is one. */
  threshold: number | null;
  /** `khong_dat`: assessed Không đạt so far; `live_below`: fewer working now than the threshold. */
  why: 'khong_dat' | 'live_below' | null;
}

/**
 * At risk when the month so far is assessed Không đạt, or fewer of its devices work now than `minOnline`
 * (when set) or than the count the target needs plus `margin`. Only criteria measured from devices.
 */
export function criterionRisk(c: CriterionCondition, s: CriterionSnapshot): RiskVerdict {
  const needed = s.liveNow?.needed;
  const threshold = c.minOnline ?? (needed === undefined ? null : needed + (c.margin ?? 0));
  if (!s.measured) return { atRisk: false, threshold, why: null };
  if (s.liveNow && threshold !== null && s.liveNow.online < threshold)
    return { atRisk: true, threshold, why: 'live_below' };
  if (s.assessment === 'khong_dat') return { atRisk: true, threshold, why: 'khong_dat' };
  return { atRisk: false, threshold, why: null };
}

/** Does the rule watch this row? Codes named, or every criterion measured from devices. */
export function watches(c: CriterionCondition, s: CriterionSnapshot): boolean {
  if (c.setId !== s.setId) return false;
  return c.criterionIds ? c.criterionIds.includes(s.code) : s.measured;
}

const KIND_WORDS: Record<DeviceKind, string> = {
  loudspeaker: 'cụm loa',
  wifi: 'điểm wifi công cộng',
  camera: 'camera an ninh',
  pc: 'máy tính',
  kiosk: 'ki-ốt',
  rating: 'máy đánh giá',
  idreader: 'đầu đọc CCCD',
  conference: 'điểm cầu truyền hình',
  gateway: 'gateway',
  display: 'màn hình / bảng tin điện tử',
  uplink: 'đường truyền',
};

/** "Chỉ tiêu 4.5 (điểm wifi công cộng) có nguy cơ không đạt: 12/14 đang hoạt động" — fits a phone preview. */
export function criterionTitle(s: CriterionSnapshot, why: RiskVerdict['why']): string {
  const what = s.kinds.length > 0 ? s.kinds.map((k) => KIND_WORDS[k]).join(', ') : shortName(s.name);
  const head = `Chỉ tiêu ${s.code} (${what}) có nguy cơ không đạt`;
  if (s.liveNow) return `${head}: ${s.liveNow.online}/${s.liveNow.total} đang hoạt động`;
  return why === 'khong_dat' ? `${head}: đang đánh giá Không đạt` : head;
}

const shortName = (name: string) => (name.length > 40 ? `${name.slice(0, 39).trimEnd()}…` : name);
