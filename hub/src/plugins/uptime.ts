import fp from 'fastify-plugin';
import { CoverageStore } from '../uptime/coverage.ts';
import { HubRuns } from '../uptime/hub-runs.ts';
import { MaintenanceStore } from '../uptime/maintenance.ts';
import { UptimeService } from '../uptime/service.ts';

/**
 * The record uptime is computed from: heartbeat coverage, offline cuts, maintenance windows, and the
 * hub's own runs (so time the hub was not running is `unknown`, never device downtime).
 */
export const uptimePlugin = fp(
  async (app) => {
    const { registry, clock, events } = app;
    const coverage = new CoverageStore(registry.database);
    const maintenance = new MaintenanceStore(registry.database);
    const hubRuns = new HubRuns(registry.database);
    const runId = hubRuns.start(clock.now());
    const uptime = new UptimeService(clock, hubRuns, coverage, maintenance, runId, events);
    const log = app.log.child({ module: 'uptime' });
    const timer = setInterval(() => {
      try {
        coverage.flush();
        hubRuns.markAlive(runId, clock.now());
      } catch (err) {
        log.error({ err }, 'saving the uptime record failed');
      }
    }, 1000);
    timer.unref();
    app.decorate('coverage', coverage);
    app.decorate('maintenance', maintenance);
    app.decorate('uptime', uptime);
    app.addHook('onClose', async () => {
      clearInterval(timer);
      coverage.flush();
      hubRuns.stop(runId, clock.now());
    });
  },
  { name: 'uptime', dependencies: ['events', 'registry'] },
);
