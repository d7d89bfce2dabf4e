import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { DeviceKind } from './device.ts';
import { LocationType, PlaceId } from './places.ts';

/*
 * Criteria: the provincial annex ("Phụ lục") as data, its evaluation over the registry, places and
 * uptime, manual inputs with their audit trail, and frozen reports. Times are ISO 8601 strings (UTC);
 * periods are cut at midnight Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
 */

const Text = (max = 2000) => Type.String({ minLength: 1, maxLength: max });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

// ───────────────────────────── Criteria-set file (hub/criteria-sets/*.yaml) ─────────────────────────────

/** What a criterion's result is: presence ("Có"), a count ("14 điểm"), a percentage ("100%"), a figure against a threshold. */
export const CRITERION_KINDS = ['presence', 'count', 'percentage', 'threshold'] as const;
export const CriterionKind = Type.Union(CRITERION_KINDS.map((k) => Type.Literal(k)));
export type CriterionKind = Static<typeof CriterionKind>;
export const CRITERION_KIND_LABELS: Record<CriterionKind, string> = {
  presence: 'Có/Không',
  count: 'Số lượng',
  percentage: 'Tỷ lệ',
  threshold: 'Ngưỡng',
};

/** Criterion code as the decision numbers it: "4.5", "8.3", "II.1". */
export const CriterionCode = Type.String({ pattern: '^[0-9A-Za-z]+(\\.[0-9A-Za-z]+)*$', maxLength: 16 });
/** Key of a rule input (e.g. `cbcc`: the number of officials). */
export const InputKey = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });

/**
 * The target as the annex writes it (`text`: "Có", "100%", "Đáp ứng") and, for machine assessment,
 * `min` / `max` on the numeric result (percentages in 0–100). Presence: met when the result is "Có".
 * A target with only `text` (e.g. "Cung cấp đầy đủ thông tin theo quy định") is assessed by hand.
 */
export const CriterionTarget = Type.Object(
  {
    text: Text(300),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type CriterionTarget = Static<typeof CriterionTarget>;

/** Which devices a rule looks at. Location types are the device's site's; a device with no site has none. */
export const DeviceSelector = Type.Object(
  {
    kinds: Type.Array(DeviceKind, { minItems: 1, maxItems: 16 }),
    locationTypes: Type.Optional(Type.Array(LocationType, { minItems: 1, maxItems: 16 })),
    /** Every tag listed must be on the device (e.g. `staff` for officials' PCs). */
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 8 })),
  },
  { additionalProperties: false },
);
export type DeviceSelector = Static<typeof DeviceSelector>;

/**
 * How a rule measures:
 * - `count`: devices selected that met the uptime rule ("14 điểm");
 * - `ratio`: that count over a manual input (`denominator`), as a percentage ("100%"), capped at 100;
 * - `coverage`: every unit (`coverage.unit`: each village, or each site of `coverage.locationTypes`)
 *   has at least `coverage.minPerUnit` counted devices; result "Có" when all are covered, else "k/n thôn";
 * - `presence`: at least `minCount` (default 1) counted devices: "Có" / "Không".
 */
export const RULE_MEASURES = ['count', 'ratio', 'coverage', 'presence'] as const;
export const RuleMeasure = Type.Union(RULE_MEASURES.map((m) => Type.Literal(m)));
export type RuleMeasure = Static<typeof RuleMeasure>;

export const COVERAGE_UNITS = ['village', 'site'] as const;
export const CoverageUnit = Type.Union(COVERAGE_UNITS.map((u) => Type.Literal(u)));
export type CoverageUnit = Static<typeof CoverageUnit>;

export const CriterionRule = Type.Object(
  {
    measure: RuleMeasure,
    devices: DeviceSelector,
    /** Minimum uptime in the period, percent of measured time (up / (up + down)), for a device to count. */
    minUptimePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    /** `ratio`: the manual input the count is divided by (declared in the set's `inputs`). */
    denominator: Type.Optional(InputKey),
    /** `presence`: how many counted devices make "Có" (default 1). */
    minCount: Type.Optional(Type.Integer({ minimum: 1 })),
    coverage: Type.Optional(
      Type.Object(
        {
          unit: CoverageUnit,
          /** `site`: which sites must each have a device (e.g. cultural_house). */
          locationTypes: Type.Optional(Type.Array(LocationType, { minItems: 1, maxItems: 16 })),
          minPerUnit: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Word after a count in the result ("điểm", "camera"); defaults to the criterion's unit. */
    resultUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type CriterionRule = Static<typeof CriterionRule>;

/** What a manual value is: a number, a percentage (0–100), yes/no ("Có"/"Không"), or text. */
export const MANUAL_VALUE_TYPES = ['number', 'percent', 'boolean', 'text'] as const;
export const ManualValueType = Type.Union(MANUAL_VALUE_TYPES.map((t) => Type.Literal(t)));
export type ManualValueType = Static<typeof ManualValueType>;

export const ManualSpec = Type.Object(
  {
    valueType: ManualValueType,
    /** What to enter and from where (shown next to the input). */
    hint: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);
export type ManualSpec = Static<typeof ManualSpec>;

/**
 * One row of the annex. Exactly one of `rule` and `manual` (a `partial` criterion has both: the rule's
 * devices are shown as supporting evidence, the assessed value is the manual one).
 */
export const CriterionDef = Type.Object(
  {
    code: CriterionCode,
    /** The group's code (a `groups` entry). */
    group: CriterionCode,
    name_vi: Text(1000),
    unit: Type.String({ maxLength: 60 }),
    kind: CriterionKind,
    target: CriterionTarget,
    /** Points-scored sets: the most this row gives (Đạt gives all of it, Không đạt none). */
    points: Type.Optional(Type.Number({ minimum: 0 })),
    rule: Type.Optional(CriterionRule),
    manual: Type.Optional(ManualSpec),
    /** Set when the rule only supports a manual value (TSV "partial"): why, in Vietnamese. */
    partial: Type.Optional(Text(1000)),
    /** Ghi chú printed in the annex. */
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type CriterionDef = Static<typeof CriterionDef>;

export const CriteriaGroup = Type.Object(
  { code: CriterionCode, name_vi: Text(300) },
  { additionalProperties: false },
);
export type CriteriaGroup = Static<typeof CriteriaGroup>;

/** A manual figure a rule needs (e.g. `cbcc`, the number of officials), entered per period. */
export const InputDef = Type.Object(
  {
    key: InputKey,
    name_vi: Text(300),
    unit: Type.String({ maxLength: 60 }),
    valueType: ManualValueType,
  },
  { additionalProperties: false },
);
export type InputDef = Static<typeof InputDef>;

export const SCORINGS = ['pass_fail', 'points'] as const;

export const CriteriaSetFile = Type.Object(
  {
    /** Stable slug, also the file's name without extension. */
    id: PlaceId,
    name: Text(300),
    decision: Type.Object(
      {
        /** "1829/QĐ-UBND" */
        number: Text(100),
        /** ISO date (YYYY-MM-DD) when known. */
        date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
        issuer: Text(300),
        title: Type.Optional(Text(1000)),
      },
      { additionalProperties: false },
    ),
    /** Bump on every change: a report records the version it was evaluated with. */
    version: Type.Integer({ minimum: 1 }),
    province: Type.Optional(Type.String({ maxLength: 200 })),
    scoring: Type.Union(SCORINGS.map((s) => Type.Literal(s))),
    groups: Type.Array(CriteriaGroup, { minItems: 1, maxItems: 50 }),
    inputs: Type.Optional(Type.Array(InputDef, { maxItems: 50 })),
    criteria: Type.Array(CriterionDef, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type CriteriaSetFile = Static<typeof CriteriaSetFile>;

/** One problem in a criteria file: `file:line:col` and the JSON pointer of the offending value. */
export const CriteriaFileIssue = Type.Object({
  file: Type.String(),
  path: Type.String(),
  message: Type.String(),
  line: Type.Optional(Type.Integer()),
  col: Type.Optional(Type.Integer()),
});
export type CriteriaFileIssue = Static<typeof CriteriaFileIssue>;

// ─────────────────────────────────────────── Periods ───────────────────────────────────────────

export const PERIOD_KINDS = ['month', 'quarter', 'half', 'year', 'custom'] as const;
export const PeriodKind = Type.Union(PERIOD_KINDS.map((k) => Type.Literal(k)));
export type PeriodKind = Static<typeof PeriodKind>;

/**
 * `period`: "2026-11" (month), "2026-Q3", "2026-H1", "2026" (year), local time. Or `from` / `to`
 * (custom; `from` ≤ `to`, 5 years at most). Neither: the current month.
 */
export const PeriodQuery = Type.Object(
  {
    period: Type.Optional(Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$' })),
    from: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    to: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
  },
  { additionalProperties: false },
);
export type PeriodQuery = Static<typeof PeriodQuery>;

export const Period = Type.Object({
  kind: PeriodKind,
  from: Type.String(),
  to: Type.String(),
  /** "Tháng 11/2026", "Quý III/2026", "6 tháng đầu năm 2026", "Năm 2026", "01/03/2026 – 15/04/2026". */
  label: Type.String(),
});
export type Period = Static<typeof Period>;

// ──────────────────────────────────────── Evaluation ────────────────────────────────────────

export const ASSESSMENTS = ['dat', 'khong_dat', 'chua_danh_gia'] as const;
export const Assessment = Type.Union(ASSESSMENTS.map((a) => Type.Literal(a)));
export type Assessment = Static<typeof Assessment>;
export const ASSESSMENT_LABELS: Record<Assessment, string> = {
  dat: 'Đạt',
  khong_dat: 'Không đạt',
  chua_danh_gia: 'Chưa đánh giá',
};

/** Where the row's result comes from. */
export const RESULT_SOURCES = ['rule', 'manual', 'partial', 'override', 'missing'] as const;
export const ResultSource = Type.Union(RESULT_SOURCES.map((s) => Type.Literal(s)));
export type ResultSource = Static<typeof ResultSource>;
export const RESULT_SOURCE_LABELS: Record<ResultSource, string> = {
  rule: 'Tự động từ thiết bị',
  manual: 'Nhập tay',
  partial: 'Nhập tay, có thiết bị minh chứng',
  override: 'Nhập tay thay kết quả tự động',
  missing: 'Chưa nhập số liệu',
};

/** Why a selected device did not count. */
export const NOT_COUNTED_REASONS = [
  'uptime_below_min',
  'no_data',
  'not_installed',
  'location_type_excluded',
  'tags_missing',
  'disabled',
] as const;
export const NotCountedReason = Type.Union(NOT_COUNTED_REASONS.map((r) => Type.Literal(r)));
export type NotCountedReason = Static<typeof NotCountedReason>;
export const NOT_COUNTED_REASON_LABELS: Record<NotCountedReason, string> = {
  uptime_below_min: 'Thời gian hoạt động dưới mức tối thiểu',
  no_data: 'Không có dữ liệu hoạt động trong kỳ',
  not_installed: 'Chưa lắp đặt trong kỳ',
  location_type_excluded: 'Vị trí lắp đặt không thuộc loại được tính',
  tags_missing: 'Thiết bị không thuộc nhóm được tính',
  disabled: 'Thiết bị đã ngừng sử dụng',
};

/** A device behind a number, as it was when evaluated (names are copied: a report must not follow renames). */
export const EvidenceDevice = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: DeviceKind,
  villageId: Type.String(),
  village: Type.String(),
  /** The former commune (before the 2025 merger) the village belonged to, or its current commune. */
  formerCommuneId: Nullable(Type.String()),
  formerCommune: Nullable(Type.String()),
  siteId: Nullable(Type.String()),
  site: Nullable(Type.String()),
  locationType: Nullable(LocationType),
  /** Uptime in the period, percent (up / measured); null when nothing was measured. */
  uptimePercent: Nullable(Type.Number()),
  up_s: Type.Number(),
  down_s: Type.Number(),
  unknown_s: Type.Number(),
  maintenance_s: Type.Number(),
  /** First and last heartbeat within the period; null when none. */
  firstSeen: Nullable(Type.String()),
  lastSeen: Nullable(Type.String()),
  counted: Type.Boolean(),
  reason: Nullable(NotCountedReason),
  /** Vietnamese label of `reason`. */
  reasonLabel: Nullable(Type.String()),
});
export type EvidenceDevice = Static<typeof EvidenceDevice>;

/** A coverage rule's unit (a village or a site) and whether it had enough counted devices. */
export const CoverageUnitEvidence = Type.Object({
  unit: CoverageUnit,
  id: Type.String(),
  name: Type.String(),
  formerCommune: Nullable(Type.String()),
  covered: Type.Boolean(),
  /** Ids of the counted devices in this unit. */
  devices: Type.Array(Type.String()),
});
export type CoverageUnitEvidence = Static<typeof CoverageUnitEvidence>;

/** The figures behind a measured result. */
export const Measured = Type.Object({
  measure: RuleMeasure,
  /** Devices that counted (count, ratio, presence), or units covered (coverage). */
  numerator: Type.Number(),
  /** Ratio: the manual input's value; coverage: number of units; otherwise null. */
  denominator: Nullable(Type.Number()),
  /** The number assessed against the target: the count, the percentage, the covered units, or 1/0. */
  value: Nullable(Type.Number()),
  selected: Type.Integer(),
  counted: Type.Integer(),
  minUptimePercent: Nullable(Type.Number()),
});
export type Measured = Static<typeof Measured>;

/** Where a manual value's proof is: free text, an official document (number and date), and/or a link. */
export const ManualEvidence = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: 2000 })),
    docNumber: Type.Optional(Type.String({ maxLength: 200 })),
    docDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    link: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ManualEvidence = Static<typeof ManualEvidence>;

export const ManualValue = Type.Union([Type.Number(), Type.Boolean(), Type.String({ maxLength: 2000 })]);
export type ManualValue = Static<typeof ManualValue>;

/**
 * `value`: a criterion's manual result; `input`: a figure a rule needs (e.g. cbcc); `override`: replaces
 * a computed result for display and assessment, with the computation still shown beside it.
 */
export const MANUAL_ENTRY_TYPES = ['value', 'input', 'override'] as const;
export const ManualEntryType = Type.Union(MANUAL_ENTRY_TYPES.map((t) => Type.Literal(t)));
export type ManualEntryType = Static<typeof ManualEntryType>;

/** Body of `POST /api/criteria-sets/{id}/manual-inputs`. Period as in PeriodQuery (`period` or `from`/`to`). */
export const ManualEntryCreate = Type.Object(
  {
    type: ManualEntryType,
    /** The criterion code (value, override) or the input key (input). */
    target: Type.String({ minLength: 1, maxLength: 40 }),
    period: Type.Optional(Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$' })),
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    value: ManualValue,
    evidence: ManualEvidence,
    /** Who enters it (full name): the admin token carries no identity yet. */
    by: Text(200),
    /** Why a computed value is overridden (required for overrides). */
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ManualEntryCreate = Static<typeof ManualEntryCreate>;

/** A recorded entry. Nothing is erased: withdrawing one sets `withdrawnAt` / `withdrawnBy`. */
export const ManualEntry = Type.Object({
  id: Type.Integer(),
  setId: Type.String(),
  type: ManualEntryType,
  target: Type.String(),
  from: Type.String(),
  to: Type.String(),
  value: ManualValue,
  evidence: ManualEvidence,
  reason: Nullable(Type.String()),
  by: Type.String(),
  at: Type.String(),
  withdrawnAt: Nullable(Type.String()),
  withdrawnBy: Nullable(Type.String()),
});
export type ManualEntry = Static<typeof ManualEntry>;

export const ManualEntryWithdraw = Type.Object({ by: Text(200) }, { additionalProperties: false });
export type ManualEntryWithdraw = Static<typeof ManualEntryWithdraw>;

/** What a computed row said before an override replaced its result (never silently). */
export const OverrideInfo = Type.Object({
  entry: ManualEntry,
  computedResult: Type.String(),
  computedAssessment: Assessment,
  computedValue: Nullable(Type.Number()),
});
export type OverrideInfo = Static<typeof OverrideInfo>;

/**
 * Of the devices a rule selects, how many work now. `needed` (count, ratio and presence rules whose target
 * has a minimum): the fewest that must be counted for the target to be met, so fewer working now puts
 * the criterion at risk if they stay down; absent for coverage, manual-with-evidence and max-only targets.
 */
export const LiveNow = Type.Object({
  online: Type.Integer(),
  total: Type.Integer(),
  needed: Type.Optional(Type.Integer()),
});
export type LiveNow = Static<typeof LiveNow>;

export const CriterionResult = Type.Object({
  code: Type.String(),
  group: Type.String(),
  groupName: Type.String(),
  name_vi: Type.String(),
  unit: Type.String(),
  kind: CriterionKind,
  /** The target as the annex writes it ("Có", "100%"). */
  target: Type.String(),
  /** The result as a commune writes it: "14 điểm", "25 camera", "100%", "Có"; "" when not entered. */
  result: Type.String(),
  assessment: Assessment,
  assessmentLabel: Type.String(),
  source: ResultSource,
  sourceLabel: Type.String(),
  /** Points-scored sets: points obtained / the row's maximum. */
  points: Nullable(Type.Object({ scored: Type.Number(), max: Type.Number() })),
  measured: Nullable(Measured),
  /** The manual value (value entries, or the input a ratio used) behind this row. */
  manual: Nullable(ManualEntry),
  /** Inputs the rule used (e.g. cbcc), with their audit record. */
  inputs: Type.Array(ManualEntry),
  override: Nullable(OverrideInfo),
  evidence: Type.Object({
    counted: Type.Array(EvidenceDevice),
    notCounted: Type.Array(EvidenceDevice),
    coverage: Type.Array(CoverageUnitEvidence),
  }),
  /**
   * Only when the period contains now: of the devices the rule selects (kind, location type, tags), how many
   * are online (or degraded) right now. This is what moves the moment a device goes down; the result itself
   * follows the uptime rule over the period.
   */
  liveNow: Nullable(LiveNow),
  /** "Tài liệu minh chứng" as printed in the annex (device summary, document number, link). */
  evidenceText: Type.String(),
  /** Ghi chú: the set's note plus what the hub adds (partial rule, override, missing input). */
  note: Type.String(),
});
export type CriterionResult = Static<typeof CriterionResult>;

export const CommuneRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  province: Type.String(),
  formerCommunes: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});
export type CommuneRef = Static<typeof CommuneRef>;

export const Evaluation = Type.Object({
  setId: Type.String(),
  setName: Type.String(),
  setVersion: Type.Integer(),
  decision: Type.String(),
  scoring: Type.String(),
  /** The commune the hub serves (a commune that is not merged into another), with the former communes merged into it. */
  commune: Nullable(CommuneRef),
  period: Period,
  /** Restricted to one village (`?village=`) or former commune; null for the whole commune. */
  scope: Nullable(
    Type.Object({ village: Type.Optional(Type.String()), formerCommune: Type.Optional(Type.String()) }),
  ),
  evaluatedAt: Type.String(),
  rows: Type.Array(CriterionResult),
  summary: Type.Object({
    dat: Type.Integer(),
    khong_dat: Type.Integer(),
    chua_danh_gia: Type.Integer(),
    points: Nullable(Type.Object({ scored: Type.Number(), max: Type.Number() })),
  }),
});
export type Evaluation = Static<typeof Evaluation>;

export const EvaluationQuery = Type.Composite(
  [
    PeriodQuery,
    Type.Object({
      village: Type.Optional(Type.String({ maxLength: 64 })),
      formerCommune: Type.Optional(Type.String({ maxLength: 64 })),
    }),
  ],
  { additionalProperties: false },
);
export type EvaluationQuery = Static<typeof EvaluationQuery>;

/** The short form of a row for the trend, breakdowns and the live push. */
export const ResultCell = Type.Object({
  code: Type.String(),
  result: Type.String(),
  assessment: Assessment,
  value: Nullable(Type.Number()),
  overridden: Type.Boolean(),
  /** As CriterionResult.liveNow. */
  liveNow: Nullable(LiveNow),
});
export type ResultCell = Static<typeof ResultCell>;

/** `GET /api/criteria-sets/{id}/breakdown?by=village|formerCommune&period=…`: measured rows per unit. */
export const BreakdownQuery = Type.Composite(
  [PeriodQuery, Type.Object({ by: Type.Union([Type.Literal('village'), Type.Literal('formerCommune')]) })],
  { additionalProperties: false },
);
export type BreakdownQuery = Static<typeof BreakdownQuery>;

export const Breakdown = Type.Object({
  setId: Type.String(),
  by: Type.Union([Type.Literal('village'), Type.Literal('formerCommune')]),
  period: Period,
  units: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      formerCommune: Nullable(Type.String()),
      cells: Type.Array(ResultCell),
    }),
  ),
});
export type Breakdown = Static<typeof Breakdown>;

/** `GET /api/criteria-sets/{id}/trend?months=12&to=…`: one evaluation per calendar month, oldest first. */
export const TrendQuery = Type.Object(
  {
    months: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: 12 })),
    /** The last month, "YYYY-MM" (default: the current month, which is partial). */
    to: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })),
  },
  { additionalProperties: false },
);
export type TrendQuery = Static<typeof TrendQuery>;

export const Trend = Type.Object({
  setId: Type.String(),
  points: Type.Array(Type.Object({ period: Period, cells: Type.Array(ResultCell) })),
});
export type Trend = Static<typeof Trend>;

/** `POST /api/criteria-sets/reload` (admin) and `GET /api/criteria-sets/problems`: what was loaded, what was refused. */
export const CriteriaReloadResult = Type.Object({
  loaded: Type.Array(Type.String()),
  /** One list per refused file, every problem in it; the sets of those ids stay as they were. */
  refused: Type.Array(Type.Array(CriteriaFileIssue)),
});
export type CriteriaReloadResult = Static<typeof CriteriaReloadResult>;

// ──────────────────────────────────────── Criteria-set listing ────────────────────────────────────────

export const CriteriaSetSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  decision: Type.String(),
  decisionDate: Nullable(Type.String()),
  issuer: Type.String(),
  version: Type.Integer(),
  province: Nullable(Type.String()),
  scoring: Type.String(),
  criteria: Type.Integer(),
  /** Criteria with a rule (measured from devices). */
  measured: Type.Integer(),
  /** SHA-256 of the file as loaded. */
  sha256: Type.String(),
});
export type CriteriaSetSummary = Static<typeof CriteriaSetSummary>;

// ─────────────────────────────────────────── Reports ───────────────────────────────────────────

/** Body of `POST /api/criteria-reports`. `corrects`: the id of the current report this one replaces. */
export const ReportSubmit = Type.Object(
  {
    setId: Type.String({ minLength: 1, maxLength: 64 }),
    period: Type.Optional(Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$' })),
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    by: Text(200),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    corrects: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type ReportSubmit = Static<typeof ReportSubmit>;

/**
 * The frozen content of a report. Its canonical JSON (keys sorted, no spaces, UTF-8) is what the
 * SHA-256 is computed over and what `GET /api/criteria-reports/{id}/canonical.json` returns.
 */
export const ReportContent = Type.Object({
  format: Type.Literal('commune-hub/criteria-report@1'),
  setId: Type.String(),
  setVersion: Type.Integer(),
  setSha256: Type.String(),
  period: Period,
  /** Version 1 for a first submission; a correction is the next version of the same period. */
  version: Type.Integer(),
  supersedes: Nullable(Type.Object({ id: Type.Integer(), sha256: Type.String() })),
  submittedAt: Type.String(),
  submittedBy: Type.String(),
  note: Type.String(),
  evaluation: Evaluation,
  /** Every manual entry in force for the period (values, inputs, overrides). */
  manualInputs: Type.Array(ManualEntry),
});
export type ReportContent = Static<typeof ReportContent>;

export const ReportSummary = Type.Object({
  id: Type.Integer(),
  setId: Type.String(),
  period: Period,
  version: Type.Integer(),
  supersedes: Nullable(Type.Integer()),
  /** Id of the correction that replaced this one, if any. */
  supersededBy: Nullable(Type.Integer()),
  submittedAt: Type.String(),
  submittedBy: Type.String(),
  sha256: Type.String(),
  summary: Evaluation.properties.summary,
});
export type ReportSummary = Static<typeof ReportSummary>;

export const CriteriaReport = Type.Composite([ReportSummary, Type.Object({ content: ReportContent })]);
export type CriteriaReport = Static<typeof CriteriaReport>;

export const ReportListQuery = Type.Object(
  { setId: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
export type ReportListQuery = Static<typeof ReportListQuery>;

// ─────────────────────────────────────────── Realtime ───────────────────────────────────────────

/** socket.io `criteria:evaluated`: the current period re-evaluated after devices changed (debounced). */
export const CriteriaEvaluatedPush = Type.Object({
  setId: Type.String(),
  period: Period,
  at: Type.String(),
  cells: Type.Array(ResultCell),
});
export type CriteriaEvaluatedPush = Static<typeof CriteriaEvaluatedPush>;

// REST routes: protocol/src/criteria-routes.ts (part of the route map; handlers in hub/src/api/criteria.ts).

// ─────────────────────────────────────────── Exports ───────────────────────────────────────────

/**
 * The annex as files (criteria-ui; thin routes in hub/src/api/criteria-export.ts, builders in
 * hub/src/criteria/export). Open to readers like the JSON. A live evaluation takes `EvaluationQuery`;
 * a report exports its frozen content with its SHA-256. Answers carry `Content-Disposition: attachment`
 * with an ASCII `filename` and the Vietnamese name as RFC 5987 `filename*`.
 *   GET /api/criteria-sets/{id}/evaluation.xlsx|.docx ?EvaluationQuery
 *   GET /api/criteria-reports/{id}.xlsx|.docx
 */
export const EXPORT_FORMATS = ['xlsx', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const satisfies Record<ExportFormat, string>;
