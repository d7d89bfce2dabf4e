import fp from 'fastify-plugin';
import client from 'prom-client';
import { CriteriaLive } from '../criteria/live.ts';
import { formatCriteriaIssues } from '../criteria/load.ts';
import { CriteriaService } from '../criteria/service.ts';
import { CriteriaSets, SHIPPED_CRITERIA_DIR } from '../criteria/sets.ts';
import { CriteriaStore } from '../criteria/store.ts';

/**
 * Criteria: the sets from their folder (a broken file is refused with every problem, logged and counted;
 * the others load), the evaluation service, and live re-evaluation of the current month on device events.
 */
export const criteriaPlugin = fp(
  async (app) => {
    const { registry, uptime, coverage, clock, events, liveness, metrics, config } = app;
    const log = app.log.child({ module: 'criteria' });
    const rejected = new client.Counter({
      name: 'hub_criteria_rejected_total',
      help: 'Criteria input refused, by reason (file_invalid, wrong_type, bad_period, report_exists, ...)',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
    const sets = new CriteriaSets(config.criteriaDir || SHIPPED_CRITERIA_DIR);
    const logRefused = (refused: ReturnType<CriteriaSets['refused']>) => {
      for (const issues of refused) {
        rejected.inc({ reason: 'file_invalid' });
        log.error(
          { file: issues[0]?.file, problems: issues.length },
          `criteria file refused:\n${formatCriteriaIssues(issues)}`,
        );
      }
    };
    const outcome = sets.reload();
    logRefused(outcome.refused);
    log.info({ sets: outcome.loaded }, 'criteria sets loaded');
    const service = new CriteriaService({
      clock,
      registry,
      uptime,
      coverage,
      sets,
      store: new CriteriaStore(app.sharedDb),
      isOnline: (id) => {
        const status = liveness.get(id)?.status;
        return status === 'online' || status === 'degraded';
      },
      countRejected: (reason) => rejected.inc({ reason }),
      onRefused: logRefused,
    });
    const live = new CriteriaLive(service, events, clock, log, config.criteriaDebounceMs);
    service.onChange = () => live.schedule();
    // HUB_DB=postgres: an entry or report made on another node changes this node's figures too.
    const offFollow = app.sharedTables?.onChange((changes) => {
      if (changes.has('criteria_manual_entries') || changes.has('criteria_reports')) live.schedule();
    });
    app.addHook('onClose', async () => offFollow?.());
    live.start();
    app.decorate('criteria', service);
    app.addHook('preClose', async () => live.stop());
  },
  { name: 'criteria', dependencies: ['events', 'registry', 'shared-state', 'uptime', 'liveness'] },
);
