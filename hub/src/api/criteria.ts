import {
  Breakdown,
  BreakdownQuery,
  CRITERIA_ROUTES,
  CriteriaReloadResult,
  CriteriaReport,
  CriteriaSetFile,
  CriteriaSetSummary,
  Evaluation,
  EvaluationQuery,
  ManualEntry,
  ManualEntryCreate,
  ManualEntryWithdraw,
  PeriodQuery,
  ReportListQuery,
  ReportSubmit,
  ReportSummary,
  Trend,
  TrendQuery,
} from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { formatCriteriaIssues } from '../criteria/load.ts';
import { summarize } from '../criteria/sets.ts';
import { HubError } from '../errors.ts';
import { requireAdmin } from './auth.ts';

const SetParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
/**
 * The body of a manual entry with `value` left unchecked here: fastify's ajv coerces types, and would turn
 * `true` into 1 for a number|boolean|string union. The service checks it against ManualValue and the
 * criterion's declared type instead.
 */
const ManualEntryBody = Type.Composite(
  [Type.Omit(ManualEntryCreate, ['value']), Type.Object({ value: Type.Unknown() })],
  {
    additionalProperties: false,
  },
);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Thin routes over CriteriaService (schemas in protocol/src/criteria.ts). Reads are open; writes need the admin token. */
export const criteriaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { criteria } = app;
  const admin = requireAdmin(app.config.adminToken);

  app.get(CRITERIA_ROUTES.sets, { schema: { response: { 200: Type.Array(CriteriaSetSummary) } } }, async () =>
    criteria.sets.list().map(summarize),
  );

  app.get(CRITERIA_ROUTES.problems, { schema: { response: { 200: CriteriaReloadResult } } }, async () => ({
    loaded: criteria.sets.list().map((l) => l.set.id),
    refused: criteria.sets.refused(),
  }));

  app.post(
    CRITERIA_ROUTES.reload,
    { preHandler: admin, schema: { response: { 200: CriteriaReloadResult } } },
    async () => {
      const outcome = criteria.reload();
      if (outcome.refused.length > 0) {
        throw new HubError(
          'HUB_ERR_CRITERIA_INVALID',
          `criteria files refused (the sets already loaded are kept):\n${outcome.refused.map(formatCriteriaIssues).join('\n')}`,
        );
      }
      return outcome;
    },
  );

  app.get(
    CRITERIA_ROUTES.set,
    { schema: { params: SetParams, response: { 200: CriteriaSetFile } } },
    async (request) => criteria.set(request.params.id).set,
  );

  app.get(
    CRITERIA_ROUTES.evaluation,
    { schema: { params: SetParams, querystring: EvaluationQuery, response: { 200: Evaluation } } },
    async (request) => {
      const { village, formerCommune, ...period } = request.query;
      criteria.set(request.params.id);
      return criteria.evaluate(request.params.id, criteria.period(period), {
        ...(village !== undefined && { village }),
        ...(formerCommune !== undefined && { formerCommune }),
      });
    },
  );

  app.get(
    CRITERIA_ROUTES.breakdown,
    { schema: { params: SetParams, querystring: BreakdownQuery, response: { 200: Breakdown } } },
    async (request) => {
      const { by, ...period } = request.query;
      return criteria.breakdown(request.params.id, criteria.period(period), by);
    },
  );

  app.get(
    CRITERIA_ROUTES.trend,
    { schema: { params: SetParams, querystring: TrendQuery, response: { 200: Trend } } },
    async (request) => criteria.trend(request.params.id, request.query.months ?? 12, request.query.to),
  );

  app.get(
    CRITERIA_ROUTES.manualInputs,
    { schema: { params: SetParams, querystring: PeriodQuery, response: { 200: Type.Array(ManualEntry) } } },
    async (request) => criteria.entries(request.params.id, criteria.period(request.query)),
  );

  app.post(
    CRITERIA_ROUTES.manualInputs,
    {
      preHandler: admin,
      schema: { params: SetParams, body: ManualEntryBody, response: { 201: ManualEntry } },
    },
    async (request, reply) => {
      const entry = criteria.addEntry(request.params.id, request.body as ManualEntryCreate);
      request.log.info(
        { set: entry.setId, type: entry.type, target: entry.target, by: entry.by },
        'manual criteria entry',
      );
      return reply.code(201).send(entry);
    },
  );

  app.delete(
    CRITERIA_ROUTES.manualInput,
    {
      preHandler: admin,
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 64 }), entryId: Type.Integer({ minimum: 1 }) }),
        body: ManualEntryWithdraw,
        response: { 200: ManualEntry },
      },
    },
    async (request) => criteria.withdrawEntry(request.params.id, request.params.entryId, request.body.by),
  );

  app.get(
    CRITERIA_ROUTES.reports,
    { schema: { querystring: ReportListQuery, response: { 200: Type.Array(ReportSummary) } } },
    async (request) => criteria.reports(request.query.setId),
  );

  app.post(
    CRITERIA_ROUTES.reports,
    { preHandler: admin, schema: { body: ReportSubmit, response: { 201: CriteriaReport } } },
    async (request, reply) => {
      const report = criteria.submit(request.body);
      request.log.info(
        { id: report.id, set: report.setId, version: report.version, sha256: report.sha256 },
        'criteria report submitted',
      );
      return reply.code(201).send(report);
    },
  );

  app.get(
    CRITERIA_ROUTES.report,
    { schema: { params: IdParams, response: { 200: CriteriaReport } } },
    async (request) => criteria.report(request.params.id),
  );

  app.get(CRITERIA_ROUTES.reportCanonical, { schema: { params: IdParams } }, async (request, reply) => {
    const { canonical, sha256 } = criteria.reportCanonical(request.params.id);
    return reply.type('application/json; charset=utf-8').header('x-content-sha256', sha256).send(canonical);
  });
};
