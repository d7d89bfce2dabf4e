import {
  ASSESSMENT_LABELS,
  type CommuneRef,
  type CoverageUnitEvidence,
  type CriterionDef,
  type CriterionResult,
  type CriterionRule,
  type DeviceKind,
  type Evaluation,
  type EvidenceDevice,
  type LocationType,
  type ManualEntry,
  type Measured,
  NOT_COUNTED_REASON_LABELS,
  type NotCountedReason,
  RESULT_SOURCE_LABELS,
  type ResultSource,
} from '@commune-hub/protocol';
import { assess, countVi, entryEvidenceText, manualResult, percentVi, presenceText } from './format.ts';
import type { LoadedCriteriaSet } from './load.ts';
import { type PeriodMs, toPeriod } from './period.ts';

/** A device as the evaluator needs it: identity and place copied in, uptime already computed for the period. */
export interface EvalDevice {
  id: string;
  name: string;
  kind: DeviceKind;
  villageId: string;
  village: string;
  formerCommuneId: string | null;
  formerCommune: string | null;
  siteId: string | null;
  site: string | null;
  locationType: LocationType | null;
  tags: readonly string[];
  disabled: boolean;
  createdAt: number;
  up_s: number;
  down_s: number;
  unknown_s: number;
  maintenance_s: number;
  /** up / (up + down), null when nothing was measured. */
  ratio: number | null;
  firstSeen: number | null;
  lastSeen: number | null;
  /** Online (or degraded) right now; only used when the period contains now. */
  onlineNow: boolean;
}

export interface EvalVillage {
  id: string;
  name: string;
  formerCommuneId: string | null;
  formerCommune: string | null;
}

export interface EvalSite {
  id: string;
  name: string;
  villageId: string;
  locationType: LocationType;
}

export interface EvaluationInput {
  loaded: LoadedCriteriaSet;
  period: PeriodMs;
  devices: readonly EvalDevice[];
  villages: readonly EvalVillage[];
  sites: readonly EvalSite[];
  /** Manual entries in force for the period (not withdrawn, covering it); the newest per target wins. */
  entries: readonly ManualEntry[];
  commune: CommuneRef | null;
  /** Restrict devices and units to one village or one former commune. */
  scope?: { village?: string; formerCommune?: string };
  evaluatedAt: number;
}

const isLive = (input: EvaluationInput) =>
  input.period.from <= input.evaluatedAt && input.evaluatedAt < input.period.to;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The newest entry of this type for this target (ties: the later id). */
function pick(
  entries: readonly ManualEntry[],
  type: ManualEntry['type'],
  target: string,
): ManualEntry | null {
  let best: ManualEntry | null = null;
  for (const e of entries) {
    if (e.type !== type || e.target !== target || e.withdrawnAt !== null) continue;
    if (!best || e.at > best.at || (e.at === best.at && e.id > best.id)) best = e;
  }
  return best;
}

function notCountedReason(d: EvalDevice, rule: CriterionRule, period: PeriodMs): NotCountedReason | null {
  const { locationTypes, tags } = rule.devices;
  if (locationTypes && (d.locationType === null || !locationTypes.includes(d.locationType)))
    return 'location_type_excluded';
  if (tags && !tags.every((t) => d.tags.includes(t))) return 'tags_missing';
  if (d.createdAt >= period.to && d.firstSeen === null) return 'not_installed';
  if (d.disabled && d.up_s === 0) return 'disabled';
  if (d.ratio === null || d.up_s === 0) return 'no_data';
  if (rule.minUptimePercent !== undefined && d.ratio * 100 < rule.minUptimePercent) return 'uptime_below_min';
  return null;
}

function evidenceOf(d: EvalDevice, reason: NotCountedReason | null): EvidenceDevice {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    villageId: d.villageId,
    village: d.village,
    formerCommuneId: d.formerCommuneId,
    formerCommune: d.formerCommune,
    siteId: d.siteId,
    site: d.site,
    locationType: d.locationType,
    uptimePercent: d.ratio === null ? null : Math.round(d.ratio * 100_000) / 1000,
    up_s: d.up_s,
    down_s: d.down_s,
    unknown_s: d.unknown_s,
    maintenance_s: d.maintenance_s,
    firstSeen: iso(d.firstSeen),
    lastSeen: iso(d.lastSeen),
    counted: reason === null,
    reason,
    reasonLabel: reason === null ? null : NOT_COUNTED_REASON_LABELS[reason],
  };
}

interface RuleOutcome {
  measured: Measured;
  result: string;
  assessment: CriterionResult['assessment'];
  counted: EvidenceDevice[];
  notCounted: EvidenceDevice[];
  coverage: CoverageUnitEvidence[];
  inputs: ManualEntry[];
  notes: string[];
}

function applyRule(
  c: CriterionDef,
  rule: CriterionRule,
  input: EvaluationInput,
  devices: readonly EvalDevice[],
  villages: readonly EvalVillage[],
): RuleOutcome {
  const selected = devices.filter((d) => rule.devices.kinds.includes(d.kind));
  const counted: EvidenceDevice[] = [];
  const notCounted: EvidenceDevice[] = [];
  for (const d of selected) {
    const reason = notCountedReason(d, rule, input.period);
    (reason === null ? counted : notCounted).push(evidenceOf(d, reason));
  }
  const n = counted.length;
  const base = {
    measure: rule.measure,
    selected: selected.length,
    counted: n,
    minUptimePercent: rule.minUptimePercent ?? null,
  };
  const out: RuleOutcome = {
    measured: { ...base, numerator: n, denominator: null, value: null },
    result: '',
    assessment: 'chua_danh_gia',
    counted,
    notCounted,
    coverage: [],
    inputs: [],
    notes: [],
  };
  const unitWord = rule.resultUnit ?? c.unit;
  switch (rule.measure) {
    case 'count': {
      out.measured.value = n;
      out.result = countVi(n, unitWord);
      out.assessment = assess(c.kind, c.target, n);
      break;
    }
    case 'presence': {
      const present = n >= (rule.minCount ?? 1);
      out.measured.value = present ? 1 : 0;
      out.result = presenceText(c.target, present);
      out.assessment = present ? 'dat' : 'khong_dat';
      break;
    }
    case 'ratio': {
      const entry = pick(input.entries, 'input', rule.denominator!);
      const den = entry && typeof entry.value === 'number' ? entry.value : null;
      if (entry) out.inputs.push(entry);
      if (den === null || den <= 0) {
        out.notes.push(`Chưa nhập ${inputName(input, rule.denominator!)} cho kỳ này`);
        break;
      }
      const pct = Math.min(100, (n / den) * 100);
      out.measured = { ...out.measured, denominator: den, value: Math.round(pct * 10) / 10 };
      out.result = percentVi(out.measured.value!);
      out.assessment = assess(c.kind, c.target, out.measured.value);
      if (n > den) out.notes.push(`Số máy tính (${n}) nhiều hơn số CBCC (${den}): tính 100%`);
      break;
    }
    case 'coverage': {
      const cov = rule.coverage!;
      const byUnit = new Map<string, string[]>();
      for (const d of counted) {
        const key = cov.unit === 'village' ? d.villageId : d.siteId;
        if (key) byUnit.set(key, [...(byUnit.get(key) ?? []), d.id]);
      }
      const villageById = new Map(villages.map((v) => [v.id, v]));
      const units =
        cov.unit === 'village'
          ? villages.map((v) => ({ id: v.id, name: v.name, formerCommune: v.formerCommune }))
          : input.sites
              .filter((s) => cov.locationTypes!.includes(s.locationType) && villageById.has(s.villageId))
              .map((s) => ({
                id: s.id,
                name: s.name,
                formerCommune: villageById.get(s.villageId)!.formerCommune,
              }));
      const need = cov.minPerUnit ?? 1;
      out.coverage = units.map((u) => {
        const ids = byUnit.get(u.id) ?? [];
        return {
          unit: cov.unit,
          id: u.id,
          name: u.name,
          formerCommune: u.formerCommune,
          covered: ids.length >= need,
          devices: ids,
        };
      });
      const covered = out.coverage.filter((u) => u.covered).length;
      const total = out.coverage.length;
      out.measured = { ...out.measured, numerator: covered, denominator: total, value: covered };
      const all = total > 0 && covered === total;
      if (c.kind === 'percentage') {
        const pct = total > 0 ? Math.round((covered / total) * 1000) / 10 : 0;
        out.measured.value = pct;
        out.result = percentVi(pct);
        out.assessment = assess(c.kind, c.target, pct);
      } else if (c.kind === 'presence') {
        out.result = all
          ? presenceText(c.target, true)
          : `${covered}/${total} ${cov.unit === 'village' ? 'thôn' : 'điểm'}`;
        out.assessment = all ? 'dat' : 'khong_dat';
      } else {
        out.result = countVi(covered, unitWord);
        out.assessment = assess(c.kind, c.target, covered);
      }
      break;
    }
  }
  return out;
}

function inputName(input: EvaluationInput, key: string): string {
  return input.loaded.set.inputs?.find((i) => i.key === key)?.name_vi ?? key;
}

function ruleEvidenceText(c: CriterionDef, o: RuleOutcome): string {
  const m = o.measured;
  const min =
    m.minUptimePercent === null ? '' : `, hoạt động ≥ ${percentVi(m.minUptimePercent)} thời gian trong kỳ`;
  if (m.measure === 'coverage')
    return `Hệ thống giám sát: ${m.numerator}/${m.denominator ?? 0} đơn vị có thiết bị hoạt động${min} (phụ lục minh chứng ${c.code})`;
  return `Hệ thống giám sát: ${m.counted}/${m.selected} thiết bị được tính${min} (phụ lục minh chứng ${c.code})`;
}

function evaluateCriterion(
  c: CriterionDef,
  input: EvaluationInput,
  devices: readonly EvalDevice[],
  villages: readonly EvalVillage[],
  groupName: string,
): CriterionResult {
  const outcome = c.rule ? applyRule(c, c.rule, input, devices, villages) : null;
  const notes: string[] = [];
  if (c.note) notes.push(c.note);
  let source: ResultSource;
  let result = '';
  let assessment: CriterionResult['assessment'] = 'chua_danh_gia';
  let manual: ManualEntry | null = null;
  let override: CriterionResult['override'] = null;
  const evidenceParts: string[] = [];

  if (c.manual) {
    manual = pick(input.entries, 'value', c.code);
    if (c.partial) notes.push(c.partial);
    if (manual) {
      ({ result, assessment } = manualResult(c, manual));
      source = c.rule ? 'partial' : 'manual';
      evidenceParts.push(entryEvidenceText(manual));
    } else {
      source = 'missing';
    }
    if (outcome) evidenceParts.push(ruleEvidenceText(c, outcome));
  } else {
    source = 'rule';
    result = outcome!.result;
    assessment = outcome!.assessment;
    evidenceParts.push(ruleEvidenceText(c, outcome!));
    const entry = pick(input.entries, 'override', c.code);
    if (entry) {
      const m = manualResult(c, entry);
      override = {
        entry,
        computedResult: result,
        computedAssessment: assessment,
        computedValue: outcome!.measured.value,
      };
      source = 'override';
      notes.push(
        `Điều chỉnh thủ công (${entry.by}): kết quả tự động là "${result || 'chưa có'}" (${ASSESSMENT_LABELS[assessment]})${entry.reason ? `; lý do: ${entry.reason}` : ''}`,
      );
      result = m.result;
      assessment = m.assessment;
      evidenceParts.push(entryEvidenceText(entry));
    }
  }
  if (outcome) notes.push(...outcome.notes);
  for (const e of outcome?.inputs ?? []) {
    const text = entryEvidenceText(e);
    evidenceParts.push(`${inputName(input, e.target)}: ${e.value}${text ? ` (${text})` : ''}`);
  }
  const points =
    input.loaded.set.scoring === 'points' && c.points !== undefined
      ? { scored: assessment === 'dat' ? c.points : 0, max: c.points }
      : null;
  return {
    code: c.code,
    group: c.group,
    groupName,
    name_vi: c.name_vi,
    unit: c.unit,
    kind: c.kind,
    target: c.target.text,
    result,
    assessment,
    assessmentLabel: ASSESSMENT_LABELS[assessment],
    source,
    sourceLabel: RESULT_SOURCE_LABELS[source],
    points,
    measured: outcome?.measured ?? null,
    manual,
    inputs: outcome?.inputs ?? [],
    override,
    evidence: {
      counted: outcome?.counted ?? [],
      notCounted: outcome?.notCounted ?? [],
      coverage: outcome?.coverage ?? [],
    },
    liveNow: liveNow(c, input, devices, outcome),
    evidenceText: evidenceParts.filter(Boolean).join('\n'),
    note: notes.join('\n'),
  };
}

function liveNow(
  c: CriterionDef,
  input: EvaluationInput,
  devices: readonly EvalDevice[],
  outcome: RuleOutcome | null,
): CriterionResult['liveNow'] {
  if (!c.rule || !isLive(input)) return null;
  const { kinds, locationTypes, tags } = c.rule.devices;
  let online = 0;
  let total = 0;
  for (const d of devices) {
    if (!kinds.includes(d.kind) || d.disabled) continue;
    if (locationTypes && (d.locationType === null || !locationTypes.includes(d.locationType))) continue;
    if (tags && !tags.every((t) => d.tags.includes(t))) continue;
    total++;
    if (d.onlineNow) online++;
  }
  const needed = c.manual ? null : neededCount(c, c.rule, outcome?.measured ?? null);
  return needed === null ? { online, total } : { online, total, needed };
}

/**
 * The fewest counted devices that meet the target, by the same arithmetic as the assessment (a ratio's
 * rounding included); null when a device count cannot say (coverage, no minimum, ratio without input).
 */
function neededCount(c: CriterionDef, rule: CriterionRule, measured: Measured | null): number | null {
  const min = c.target.min;
  switch (rule.measure) {
    case 'presence':
      return rule.minCount ?? 1;
    case 'count':
      if (min !== undefined) return Math.max(0, Math.ceil(min));
      return c.kind === 'presence' && c.target.max === undefined ? 1 : null;
    case 'ratio': {
      const den = measured?.denominator ?? null;
      if (min === undefined || den === null || den <= 0) return null;
      for (let n = 0; n <= den; n++)
        if (Math.round(Math.min(100, (n / den) * 100) * 10) / 10 >= min) return n;
      return null;
    }
    case 'coverage':
      return null;
  }
}

const byPlace = (a: EvalDevice, b: EvalDevice) =>
  a.villageId.localeCompare(b.villageId) || a.id.localeCompare(b.id);

/** Evaluates every criterion of a set over the period. Pure: the same input gives the same output. */
export function evaluateSet(input: EvaluationInput): Evaluation {
  const { set } = input.loaded;
  const scope = input.scope ?? {};
  const inScope = (villageId: string, formerCommuneId: string | null) =>
    (scope.village === undefined || villageId === scope.village) &&
    (scope.formerCommune === undefined || formerCommuneId === scope.formerCommune);
  const devices = input.devices
    .filter((d) => inScope(d.villageId, d.formerCommuneId))
    .slice()
    .sort(byPlace);
  const villages = input.villages.filter((v) => inScope(v.id, v.formerCommuneId));
  const groups = new Map(set.groups.map((g) => [g.code, g.name_vi]));
  const rows = set.criteria.map((c) =>
    evaluateCriterion(c, input, devices, villages, groups.get(c.group) ?? ''),
  );
  const summary = {
    dat: 0,
    khong_dat: 0,
    chua_danh_gia: 0,
    points: null as { scored: number; max: number } | null,
  };
  for (const r of rows) {
    summary[r.assessment]++;
    if (r.points) {
      summary.points ??= { scored: 0, max: 0 };
      summary.points.scored += r.points.scored;
      summary.points.max += r.points.max;
    }
  }
  const hasScope = scope.village !== undefined || scope.formerCommune !== undefined;
  return {
    setId: set.id,
    setName: set.name,
    setVersion: set.version,
    decision: set.decision.number,
    scoring: set.scoring,
    commune: input.commune,
    period: toPeriod(input.period),
    scope: hasScope
      ? {
          ...(scope.village !== undefined && { village: scope.village }),
          ...(scope.formerCommune !== undefined && { formerCommune: scope.formerCommune }),
        }
      : null,
    evaluatedAt: new Date(input.evaluatedAt).toISOString(),
    rows,
    summary,
  };
}
