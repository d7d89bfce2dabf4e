import fp from 'fastify-plugin';
import { DeviceService } from '../devices/service.ts';

/** The device service: the one way routes change devices and villages; it publishes device.* events. */
export const devicesPlugin = fp(
  async (app) => {
    app.decorate(
      'devices',
      new DeviceService(app.registry, app.events, app.clock, app.config.importHashConcurrency),
    );
  },
  { name: 'devices', dependencies: ['events', 'registry'] },
);
