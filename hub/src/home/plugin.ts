import { routes } from '@commune-hub/protocol';
import fp from 'fastify-plugin';
import { defineRoute } from '../api/define-route.ts';
import { parseTime } from '../api/time-range.ts';
import { toDeviceView } from '../api/views.ts';
import { DEFAULT_CLASSIFY_OPTIONS } from '../correlation/index.ts';
import { FeedService } from './feed.ts';
import { feedVisibility } from './feed-scope.ts';
import { alertSource, maintenanceSource, transitionSource } from './sources.ts';
import { villageHealth } from './village-health.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The home page's feed of recent changes. Another part adds its own kind of item with
     * `app.feed.register(source)` (the public status page adds citizens' reports).
     */
    feed: FeedService;
  }
}

const DAY_MS = 86_400_000;
const OUTAGE_CAUSES = new Set(['power_cut', 'network_cut']);

/**
 * The dashboard home's data ("Hôm nay"): each village's health with the outage classifier's verdict
 * (`GET /api/villages/health`) and the feed of the last 24 h (`GET /api/feed`).
 */
export const homePlugin = fp(
  async (app) => {
    const { registry, liveness, store, maintenance, clock, config } = app;
    const alerts = app.hasDecorator('alerts') ? app.alerts : undefined;
    const feed = new FeedService([
      transitionSource(store, registry),
      maintenanceSource(maintenance, registry),
    ]);
    if (alerts) {
      feed.register(alertSource((range, limit) => alerts.list({ from: range.from, to: range.to, limit })));
    }
    app.decorate('feed', feed);

    defineRoute(app, routes.villageHealth, async (request) => {
      const now = clock.now();
      // An outage alert already open keeps its start, so the page and the alert agree while it lasts.
      const open = new Map<string, number>();
      for (const a of alerts?.list({ from: now, to: now + 1, limit: 1000 }) ?? []) {
        if (a.villageId && OUTAGE_CAUSES.has(a.cause) && a.resolvedAt === null)
          open.set(a.villageId, Date.parse(a.since));
      }
      const views = registry
        .list()
        .filter((r) => request.scope.allowsDevice(r))
        .map((r) => toDeviceView(r, liveness.get(r.id), registry.places));
      return villageHealth(
        views,
        { ...DEFAULT_CLASSIFY_OPTIONS, windowMs: config.alertsCorrelationWindowS * 1000 },
        (villageId) => open.get(villageId) ?? null,
      );
    });

    defineRoute(app, routes.feed, async (request) => {
      const now = clock.now();
      const since =
        request.query.since === undefined ? now - DAY_MS : parseTime(request.query.since, 'since');
      // `to` a little past now: a change stamped in this same millisecond is not left out.
      // The public groups are read once (from the store) for the scope check of report items.
      const groups =
        app.hasDecorator('publicStatus') && !request.scope.isAll ? await app.publicStatus.listGroups() : [];
      const visible = feedVisibility(request.scope, {
        getDevice: (id) => registry.get(id),
        alertOf: (id) => {
          try {
            return alerts?.get(id);
          } catch {
            return undefined; // deleted since (superseded): judged by its village alone
          }
        },
        groupOf: (slug) => groups.find((g) => g.slug === slug),
      });
      return feed.page({ from: since, to: now + 1 }, request.query.limit ?? 200, visible);
    });
  },
  { name: 'home', dependencies: ['registry', 'store', 'uptime', 'liveness'] },
);
