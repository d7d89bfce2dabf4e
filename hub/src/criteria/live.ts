import type { Clock } from '../clock.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../logger.ts';
import { currentMonth } from './period.ts';
import type { CriteriaService } from './service.ts';

/**
 * Live indicators: re-evaluates every set over the current month when devices change (a status
 * transition, a device or village edit, maintenance, a manual entry), at most once per `debounceMs`,
 * and publishes `criteria.evaluated` on the bus (realtime pushes it to dashboards as `criteria:evaluated`).
 * A burst of changes (a village power cut) gives one evaluation, not one per device.
 */
export class CriteriaLive {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: Array<() => void> = [];
  private running = false;

  constructor(
    private readonly service: CriteriaService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly debounceMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const poke = () => this.schedule();
    this.unsubscribe = [
      this.events.on('liveness.changed', ({ transition }) => {
        if (transition) poke();
      }),
      this.events.on('device.created', poke),
      this.events.on('device.updated', poke),
      this.events.on('device.disabled', poke),
      this.events.on('village.updated', poke),
      this.events.on('maintenance.changed', poke),
    ];
  }

  /** Asks for a re-evaluation; changes within the debounce window share it. */
  schedule(): void {
    if (!this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.evaluateNow();
    }, this.debounceMs);
    this.timer.unref?.();
  }

  /** Evaluates every set over the current month and publishes the results. */
  evaluateNow(): void {
    const period = currentMonth(this.clock.now());
    for (const loaded of this.service.sets.list()) {
      try {
        const evaluation = this.service.evaluate(loaded.set.id, period);
        this.events.emit('criteria.evaluated', { setId: loaded.set.id, evaluation, at: this.clock.now() });
      } catch (err) {
        this.logger.error({ err, set: loaded.set.id }, 'live criteria evaluation failed');
      }
    }
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }
}
