import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { defineRoute, mustSeeDevice } from './define-route.ts';

/** Probe targets of gateway children. Reads never carry credentials (see ProbeTargetView). */
export const probeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { probes, registry } = app;
  app.addHook('preHandler', async (request) => {
    const id = (request.params as { id?: string } | undefined)?.id;
    if (request.routeName?.startsWith('deviceProbe') && id !== undefined)
      mustSeeDevice(request, id, registry.get(id));
  });

  defineRoute(app, routes.deviceProbeGet, async (request) => probes.get(request.params.id));

  defineRoute(app, routes.deviceProbeSet, async (request) => {
    const view = await probes.set(request.params.id, request.body);
    request.log.info({ deviceId: view.deviceId, type: view.target.type }, 'probe target set');
    return view;
  });

  defineRoute(app, routes.deviceProbeDelete, async (request, reply) => {
    await probes.delete(request.params.id);
    return reply.code(204).send();
  });
};
