import { routes } from '@commune-hub/protocol';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import client from 'prom-client';
import { defineRoute } from '../api/define-route.ts';
import { parseRange } from '../api/time-range.ts';
import { HubError } from '../errors.ts';
import { reportFeedSource } from './feed-source.ts';
import { FixedWindowLimiter, type ReportBudget, SharedFixedWindowLimiter } from './rate-limit.ts';
import { PostgresPublicStatusRepository, SqlitePublicStatusRepository } from './repository.ts';
import { checkGroupInput, groupVisible, reportVisible } from './scope.ts';
import { PublicStatusService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Public status groups, the public pages' data and citizens' problem reports (hub/src/public-status). */
    publicStatus: PublicStatusService;
  }
}

const HOUR_MS = 3_600_000;

/**
 * The public status page: the service (groups, tokens, reports, in registry.db) and its routes from
 * protocol's public-status route map. The public routes need no login; the group routes need the `admin` role.
 */
export const publicStatusPlugin = fp(
  async (app) => {
    const { registry, liveness, uptime, events, clock, metrics, config } = app;
    const logger = app.log.child({ module: 'public-status' });
    const accepted = new client.Counter({
      name: 'hub_public_reports_total',
      help: 'Problem reports received from the public status pages',
      registers: [metrics.registry],
    });
    const rejected = new client.Counter({
      name: 'hub_public_reports_rejected_total',
      help: 'Problem reports refused, by reason (rate_limited, validation, not_found)',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
    const service = new PublicStatusService({
      // HUB_DB=postgres: shared by every node (the same groups, tokens and reports on each); else registry.db.
      repository: registry.postgresPool
        ? new PostgresPublicStatusRepository(registry.postgresPool)
        : new SqlitePublicStatusRepository(registry.database),
      listDevices: () => registry.list(),
      getDevice: (id) => registry.get(id),
      statusOf: (id) => liveness.get(id)?.status,
      uptimeOf: (records, from, to) => {
        const result = uptime.fleet(records, { start: from, end: to });
        return new Map(result.devices.map((d) => [d.deviceId, d.ratio]));
      },
      events,
      clock,
      logger,
    });
    app.decorate('publicStatus', service);
    // Reports land in the home page's feed (GET /api/feed) beside transitions, alerts and maintenance.
    if (app.hasDecorator('feed')) app.feed.register(reportFeedSource(service));
    const localLimiter = new FixedWindowLimiter(clock, config.publicReportsPerHour, HOUR_MS);
    let limiter: ReportBudget = localLimiter;
    if (app.cluster) {
      // One budget per address for the whole cluster, in Redis (./rate-limit.ts); this node's own when Redis is away.
      const fallbacks = new client.Counter({
        name: 'hub_public_report_limit_fallbacks_total',
        help: 'Report budget checks this node answered alone because the cluster Redis did not answer',
        registers: [metrics.registry],
      });
      let lastWarned = Number.NEGATIVE_INFINITY;
      limiter = new SharedFixedWindowLimiter(
        app.cluster.transport.commands,
        clock,
        config.publicReportsPerHour,
        HOUR_MS,
        localLimiter,
        (err) => {
          fallbacks.inc();
          if (clock.now() - lastWarned < 10_000) return;
          lastWarned = clock.now();
          logger.warn({ err: err.message }, 'report budget: Redis did not answer, this node counts alone');
        },
      );
    }

    // The admin routes answer within the caller's communes (hub/src/public-status/scope.ts).
    const getDevice = (id: string) => registry.get(id);
    const groupOf = async (slug: string) => (await service.listGroups()).find((g) => g.slug === slug);
    const mustSeeGroup = async (request: FastifyRequest, slug: string) => {
      const group = await groupOf(slug);
      if (!group || !groupVisible(request.scope, group, getDevice)) {
        throw new HubError('HUB_ERR_NOT_FOUND', `no public status group "${slug}"`);
      }
    };
    defineRoute(app, routes.publicGroupList, async (request) =>
      (await service.listGroups()).filter((g) => groupVisible(request.scope, g, getDevice)),
    );
    defineRoute(app, routes.publicGroupCreate, async (request, reply) => {
      checkGroupInput(request.scope, request.body, getDevice);
      return reply.code(201).send(await service.createGroup(request.body));
    });
    defineRoute(app, routes.publicGroupUpdate, async (request) => {
      await mustSeeGroup(request, request.params.group);
      checkGroupInput(request.scope, request.body, getDevice);
      return service.updateGroup(request.params.group, request.body);
    });
    defineRoute(app, routes.publicGroupDelete, async (request, reply) => {
      await mustSeeGroup(request, request.params.group);
      await service.deleteGroup(request.params.group);
      return reply.code(204).send();
    });
    defineRoute(app, routes.publicReportList, async (request) => {
      const { from, to } = parseRange(request.query, clock.now());
      const reports = await service.reports(from, to, request.query.limit ?? 200);
      if (request.scope.isAll) return reports;
      const groups = await service.listGroups();
      const groupBySlug = (slug: string) => groups.find((g) => g.slug === slug);
      return reports.filter((r) => reportVisible(request.scope, r, getDevice, groupBySlug));
    });

    // The public pages: never cached by a shared proxy for long, so a repaired wifi shows up soon.
    defineRoute(app, routes.publicStatusGroup, async (request, reply) => {
      reply.header('cache-control', 'public, max-age=15');
      return service.page(request.params.group);
    });
    defineRoute(app, routes.publicStatusDevice, async (request, reply) => {
      reply.header('cache-control', 'public, max-age=15');
      return service.devicePage(request.params.group, request.params.token);
    });

    // The budget is spent by every attempt, valid or not, so a flood of bad bodies is limited too;
    // validation is left to the handler (attachValidation) so a refusal is counted here.
    defineRoute(
      app,
      routes.publicReportCreate,
      async (request, reply) => {
        const budget = await limiter.hit(request.ip);
        if (!budget.allowed) {
          rejected.inc({ reason: 'rate_limited' });
          reply.header('retry-after', String(budget.retryAfterS));
          throw new HubError(
            'HUB_ERR_RATE_LIMITED',
            `too many reports from this address: try again in ${budget.retryAfterS} s`,
          );
        }
        if (request.validationError) {
          rejected.inc({ reason: 'validation' });
          throw new HubError('HUB_ERR_VALIDATION', request.validationError.message);
        }
        try {
          await service.report(request.params.group, request.body);
          accepted.inc();
          return reply.code(202).send({ received: true as const });
        } catch (err) {
          if (err instanceof HubError && err.code === 'HUB_ERR_NOT_FOUND')
            rejected.inc({ reason: 'not_found' });
          throw err;
        }
      },
      { attachValidation: true },
    );
  },
  { name: 'public-status', dependencies: ['events', 'registry', 'liveness', 'uptime', 'cluster'] },
);
