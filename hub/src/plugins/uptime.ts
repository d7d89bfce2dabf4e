import fp from 'fastify-plugin';
import { type CoverageStore, SqliteCoverageStore } from '../uptime/coverage.ts';
import { ImageCoverageStore } from '../uptime/coverage-image.ts';
import { HubRuns } from '../uptime/hub-runs.ts';
import { MaintenanceStore } from '../uptime/maintenance.ts';
import { UptimeService } from '../uptime/service.ts';

/**
 * The record uptime is computed from: heartbeat coverage, offline cuts, maintenance windows, and the
 * hub's own runs (so time the hub was not running is `unknown`, never device downtime). Stored where the
 * registry is (HUB_DB): with PostgreSQL, rows other nodes wrote are taken in as the registry reads them.
 */
export const uptimePlugin = fp(
  async (app) => {
    const { registry, clock, events } = app;
    const storage = registry.storage;
    const image = storage.dialect === 'postgres' ? new ImageCoverageStore(storage) : undefined;
    const coverage: CoverageStore = image ?? new SqliteCoverageStore(registry.database);
    const maintenance = new MaintenanceStore(storage);
    const hubRuns = new HubRuns(storage);
    const runId = hubRuns.start(clock.now());
    const uptime = new UptimeService(clock, hubRuns, coverage, maintenance, runId, events);
    const log = app.log.child({ module: 'uptime' });
    registry.onRefresh(({ image: rows }) => {
      const deleted = (tbl: string) => rows.deleted.filter((d) => d.tbl === tbl).map((d) => d.id);
      image?.load(rows.coverage, rows.cuts, deleted('coverage'));
      hubRuns.load(rows.hubRuns);
      const deviceIds = maintenance.load(rows.maintenance, deleted('maintenance'));
      if (deviceIds.length > 0) events.emit('maintenance.changed', { deviceIds, at: clock.now() });
    });
    const save = async () => {
      try {
        await coverage.flush();
        hubRuns.markAlive(runId, clock.now());
      } catch (err) {
        log.error({ err }, 'saving the uptime record failed');
      }
    };
    const timer = setInterval(() => void save(), 1000);
    timer.unref();
    app.decorate('coverage', coverage);
    app.decorate('maintenance', maintenance);
    app.decorate('uptime', uptime);
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await coverage.flush();
      hubRuns.stop(runId, clock.now());
    });
  },
  { name: 'uptime', dependencies: ['events', 'registry'] },
);
