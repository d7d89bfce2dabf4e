import { type ManualEntryCreate, routes } from '@commune-hub/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { formatCriteriaIssues } from '../criteria/load.ts';
import { summarize } from '../criteria/sets.ts';
import { HubError } from '../errors.ts';
import { reportsVisible, visibleVillageOf } from './criteria-scope.ts';
import { defineRoute } from './define-route.ts';

/**
 * Thin routes over CriteriaService, registered from protocol's route map (protocol/src/criteria-routes.ts).
 * Reads are open; writes need the admin token (the map says which).
 */
export const criteriaRoutes: FastifyPluginAsync = async (app) => {
  const { criteria } = app;

  defineRoute(app, routes.criteriaSetList, async () => criteria.sets.list().map(summarize));

  defineRoute(app, routes.criteriaSetProblems, async () => ({
    loaded: criteria.sets.list().map((l) => l.set.id),
    refused: criteria.sets.refused(),
  }));

  defineRoute(app, routes.criteriaSetReload, async () => {
    const outcome = criteria.reload();
    if (outcome.refused.length > 0) {
      throw new HubError(
        'HUB_ERR_CRITERIA_INVALID',
        `criteria files refused (the sets already loaded are kept):\n${outcome.refused.map(formatCriteriaIssues).join('\n')}`,
      );
    }
    return outcome;
  });

  defineRoute(app, routes.criteriaSetGet, async (request) => criteria.set(request.params.id).set);

  defineRoute(app, routes.criteriaEvaluation, async (request) => {
    const { village, formerCommune, ...period } = request.query;
    criteria.set(request.params.id);
    return criteria.evaluate(request.params.id, criteria.period(period), {
      ...(village !== undefined && { village }),
      ...(formerCommune !== undefined && { formerCommune }),
      ...visibleVillageOf(request),
    });
  });

  defineRoute(app, routes.criteriaBreakdown, async (request) => {
    const { by, ...period } = request.query;
    return criteria.breakdown(
      request.params.id,
      criteria.period(period),
      by,
      visibleVillageOf(request).visibleVillage,
    );
  });

  defineRoute(app, routes.criteriaTrend, async (request) =>
    criteria.trend(
      request.params.id,
      request.query.months ?? 12,
      request.query.to,
      visibleVillageOf(request).visibleVillage,
    ),
  );

  defineRoute(app, routes.criteriaManualList, async (request) =>
    criteria.entries(request.params.id, criteria.period(request.query)),
  );

  defineRoute(app, routes.criteriaManualCreate, async (request, reply) => {
    // `value` is unchecked by the route schema (see criteria-routes.ts); addEntry checks it.
    const entry = criteria.addEntry(request.params.id, request.body as ManualEntryCreate);
    request.log.info(
      { set: entry.setId, type: entry.type, target: entry.target, by: entry.by },
      'manual criteria entry',
    );
    return reply.code(201).send(entry);
  });

  defineRoute(app, routes.criteriaManualWithdraw, async (request) =>
    criteria.withdrawEntry(request.params.id, request.params.entryId, request.body.by),
  );

  defineRoute(app, routes.criteriaReportList, async (request) =>
    reportsVisible(request) ? criteria.reports(request.query.setId) : [],
  );

  defineRoute(app, routes.criteriaReportSubmit, async (request, reply) => {
    const report = criteria.submit(request.body);
    request.log.info(
      { id: report.id, set: report.setId, version: report.version, sha256: report.sha256 },
      'criteria report submitted',
    );
    return reply.code(201).send(report);
  });

  defineRoute(app, routes.criteriaReportGet, async (request) => {
    reportsVisible(request, request.params.id);
    return criteria.report(request.params.id);
  });

  defineRoute(app, routes.criteriaReportCanonical, async (request, reply) => {
    reportsVisible(request, request.params.id);
    const { canonical, sha256 } = criteria.reportCanonical(request.params.id);
    // The exact hashed bytes, as a string: fastify sends a string with a JSON content type as is.
    return reply.type('application/json; charset=utf-8').header('x-content-sha256', sha256).send(canonical);
  });
};
