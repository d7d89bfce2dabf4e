import { Type } from '@sinclair/typebox';
import { ApiError } from './api.ts';
import {
  Breakdown,
  BreakdownQuery,
  CriteriaReloadResult,
  CriteriaReport,
  CriteriaSetFile,
  CriteriaSetSummary,
  Evaluation,
  EvaluationQuery,
  EXPORT_CONTENT_TYPES,
  ManualEntry,
  ManualEntryCreate,
  ManualEntryWithdraw,
  type ManualValue,
  PeriodQuery,
  ReportListQuery,
  ReportSubmit,
  ReportSummary,
  Trend,
  TrendQuery,
} from './criteria.ts';
import type { RouteSpec } from './routes.ts';

/**
 * The criteria routes of protocol's route map (spread into `routes` in ./routes.ts): criteria sets,
 * evaluation, manual entries with their audit trail, frozen reports, and the annex files. Reads are
 * open to whoever may read the dashboard; writes need the admin token.
 */

const errors = { '4xx': ApiError } as const;
const SetParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ReportParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const XLSX = EXPORT_CONTENT_TYPES.xlsx;
const DOCX = EXPORT_CONTENT_TYPES.docx;

/** A file answer: OpenAPI's binary string; the typed client reads it as an ArrayBuffer. */
const File = (description: string) =>
  Type.Unsafe<ArrayBuffer>({ type: 'string', format: 'binary', description });

/**
 * The body of a manual entry with `value` left to the service: fastify's ajv coerces types and would
 * turn `true` into 1 for a number|boolean|string union. The service checks it against ManualValue and
 * the criterion's declared type (HUB_ERR_MANUAL_VALUE), so the client's type stays ManualValue.
 */
const ManualEntryBody = Type.Composite(
  [
    Type.Omit(ManualEntryCreate, ['value']),
    Type.Object({
      value: Type.Unsafe<ManualValue>({
        description: 'number, boolean or text (≤ 2000), as the criterion or input declares',
      }),
    }),
  ],
  { additionalProperties: false },
);

export const criteriaRouteMap = {
  criteriaSetList: {
    method: 'GET',
    url: '/api/criteria-sets',
    auth: 'viewer',
    summary: 'Criteria sets loaded (id, name, decision, version)',
    tags: ['criteria'],
    response: { 200: Type.Array(CriteriaSetSummary), ...errors },
  },
  criteriaSetProblems: {
    method: 'GET',
    url: '/api/criteria-sets/problems',
    auth: 'viewer',
    summary: 'Criteria files refused at the last load, with every problem (file:line)',
    tags: ['criteria'],
    response: { 200: CriteriaReloadResult, ...errors },
  },
  criteriaSetReload: {
    method: 'POST',
    url: '/api/criteria-sets/reload',
    auth: 'admin',
    summary: 'Re-read the criteria folder (HUB_CRITERIA_DIR)',
    description:
      '422 HUB_ERR_CRITERIA_INVALID listing every problem when a file is refused; the sets loaded before are kept.',
    tags: ['criteria'],
    response: { 200: CriteriaReloadResult, ...errors },
  },
  criteriaSetGet: {
    method: 'GET',
    url: '/api/criteria-sets/:id',
    auth: 'viewer',
    summary: 'One criteria set as loaded from its file',
    tags: ['criteria'],
    params: SetParams,
    response: { 200: CriteriaSetFile, ...errors },
  },
  criteriaEvaluation: {
    method: 'GET',
    url: '/api/criteria-sets/:id/evaluation',
    auth: 'viewer',
    summary: 'Evaluate a set over a period: one row per criterion with result, assessment and evidence',
    description:
      '`period` (2026, 2026-11, 2026-Q3, 2026-H1) or `from`/`to`; optionally one village or former commune. ' +
      'HUB_ERR_VALIDATION when from > to or the period exceeds 5 years.',
    tags: ['criteria'],
    params: SetParams,
    querystring: EvaluationQuery,
    response: { 200: Evaluation, ...errors },
  },
  criteriaEvaluationXlsx: {
    method: 'GET',
    url: '/api/criteria-sets/:id/evaluation.xlsx',
    auth: 'viewer',
    summary: 'The annex of a period as XLSX (annex sheet and one evidence sheet per measured criterion)',
    tags: ['criteria'],
    params: SetParams,
    querystring: EvaluationQuery,
    produces: XLSX,
    response: { 200: File('XLSX workbook'), ...errors },
  },
  criteriaEvaluationDocx: {
    method: 'GET',
    url: '/api/criteria-sets/:id/evaluation.docx',
    auth: 'viewer',
    summary: 'The annex of a period as DOCX (the annex table with its signature block)',
    tags: ['criteria'],
    params: SetParams,
    querystring: EvaluationQuery,
    produces: DOCX,
    response: { 200: File('DOCX document'), ...errors },
  },
  criteriaBreakdown: {
    method: 'GET',
    url: '/api/criteria-sets/:id/breakdown',
    auth: 'viewer',
    summary: 'Measured criteria of a period by village or by former commune',
    tags: ['criteria'],
    params: SetParams,
    querystring: BreakdownQuery,
    response: { 200: Breakdown, ...errors },
  },
  criteriaTrend: {
    method: 'GET',
    url: '/api/criteria-sets/:id/trend',
    auth: 'viewer',
    summary: 'Measured criteria month by month (default: the past 12 months)',
    tags: ['criteria'],
    params: SetParams,
    querystring: TrendQuery,
    response: { 200: Trend, ...errors },
  },
  criteriaManualList: {
    method: 'GET',
    url: '/api/criteria-sets/:id/manual-inputs',
    auth: 'viewer',
    summary: 'Manual values, inputs and overrides of a period, withdrawn ones included (the audit trail)',
    tags: ['criteria'],
    params: SetParams,
    querystring: PeriodQuery,
    response: { 200: Type.Array(ManualEntry), ...errors },
  },
  criteriaManualCreate: {
    method: 'POST',
    url: '/api/criteria-sets/:id/manual-inputs',
    auth: 'operator',
    summary: 'Record a manual value, a rule input (e.g. cbcc) or an override, with its evidence and author',
    description:
      '400 HUB_ERR_MANUAL_VALUE when the value does not fit the criterion or input, or no evidence is given.',
    tags: ['criteria'],
    params: SetParams,
    body: ManualEntryBody,
    response: { 201: ManualEntry, ...errors },
  },
  criteriaManualWithdraw: {
    method: 'DELETE',
    url: '/api/criteria-sets/:id/manual-inputs/:entryId',
    auth: 'operator',
    summary: 'Withdraw a manual entry (kept in the audit trail with who withdrew it)',
    tags: ['criteria'],
    params: Type.Object({ id: Type.String({ maxLength: 64 }), entryId: Type.Integer({ minimum: 1 }) }),
    body: ManualEntryWithdraw,
    response: { 200: ManualEntry, ...errors },
  },
  criteriaReportList: {
    method: 'GET',
    url: '/api/criteria-reports',
    auth: 'viewer',
    summary: 'Submitted reports (every version), in submission order',
    tags: ['criteria'],
    querystring: ReportListQuery,
    response: { 200: Type.Array(ReportSummary), ...errors },
  },
  criteriaReportSubmit: {
    method: 'POST',
    url: '/api/criteria-reports',
    auth: 'admin',
    summary: "Submit a period's report: an immutable snapshot with a SHA-256 over its canonical JSON",
    description:
      '`corrects` makes a new version referencing the old one. 409 HUB_ERR_CRITERIA_REPORT_EXISTS when the period is already submitted.',
    tags: ['criteria'],
    body: ReportSubmit,
    response: { 201: CriteriaReport, ...errors },
  },
  criteriaReportGet: {
    method: 'GET',
    url: '/api/criteria-reports/:id',
    auth: 'viewer',
    summary: 'A submitted report with its frozen content',
    tags: ['criteria'],
    params: ReportParams,
    response: { 200: CriteriaReport, ...errors },
  },
  criteriaReportCanonical: {
    method: 'GET',
    url: '/api/criteria-reports/:id/canonical.json',
    auth: 'viewer',
    summary: 'The exact bytes the SHA-256 of a report is computed over (header x-content-sha256)',
    tags: ['criteria'],
    params: ReportParams,
    response: {
      200: Type.Unknown({ description: 'canonical JSON: keys sorted, no spaces, UTF-8' }),
      ...errors,
    },
  },
  criteriaReportXlsx: {
    method: 'GET',
    url: '/api/criteria-reports/:id.xlsx',
    auth: 'viewer',
    summary:
      'A submitted report as XLSX, from its frozen snapshot, with its SHA-256 (byte-identical on every download)',
    tags: ['criteria'],
    params: ReportParams,
    produces: XLSX,
    response: { 200: File('XLSX workbook'), ...errors },
  },
  criteriaReportDocx: {
    method: 'GET',
    url: '/api/criteria-reports/:id.docx',
    auth: 'viewer',
    summary:
      'A submitted report as DOCX, from its frozen snapshot, with its SHA-256 (byte-identical on every download)',
    tags: ['criteria'],
    params: ReportParams,
    produces: DOCX,
    response: { 200: File('DOCX document'), ...errors },
  },
} as const satisfies Record<string, RouteSpec>;
