import fp from 'fastify-plugin';
import { EventBus } from '../events/bus.ts';

/** The typed domain event bus (hub/src/events): registered first, every other concern publishes or listens. */
export const eventsPlugin = fp(
  async (app) => {
    const bus = new EventBus(app.log.child({ module: 'events' }), (event) =>
      app.metrics.eventListenerFailures.inc({ event }),
    );
    app.decorate('events', bus);
  },
  { name: 'events' },
);
