import fp from 'fastify-plugin';
import { Registry } from '../registry/registry.ts';

export const registryPlugin = fp(
  async (app) => {
    const registry = new Registry(app.config.dataDir);
    registry.open();
    app.decorate('registry', registry);
    app.addHook('onClose', async () => registry.close());
  },
  { name: 'registry' },
);
