import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { defineRoute } from './define-route.ts';

/** Communes (with mergers), villages and sites: where devices stand. */
export const placeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, devices } = app;

  defineRoute(app, routes.communeList, async () => registry.places.listCommunes());
  // Places are written through the registry's storage: answered once durable (HUB_DB=postgres).
  defineRoute(app, routes.communeCreate, async (request, reply) => {
    const commune = registry.places.addCommune(request.body);
    await registry.durable();
    return reply.code(201).send(commune);
  });

  defineRoute(app, routes.villageList, async () => registry.places.listVillages());
  defineRoute(app, routes.villageCreate, async (request, reply) => {
    const village = registry.places.addVillage(request.body);
    await registry.durable();
    return reply.code(201).send(village);
  });
  defineRoute(app, routes.villageUpdate, async (request) =>
    devices.updateVillage(request.params.id, request.body),
  );

  defineRoute(app, routes.siteList, async () => registry.places.listSites());
  defineRoute(app, routes.siteCreate, async (request, reply) => {
    const site = registry.places.addSite(request.body);
    await registry.durable();
    return reply.code(201).send(site);
  });
};
