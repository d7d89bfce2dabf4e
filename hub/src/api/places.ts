import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HubError } from '../errors.ts';
import { defineRoute } from './define-route.ts';

/**
 * Communes (with mergers), villages and sites: where devices stand. Places are written through the
 * registry's storage: answered once durable (HUB_DB=postgres).
 */
export const placeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, devices } = app;

  const notYours = (what: string) => new HubError('HUB_ERR_NOT_FOUND', `no ${what} in your communes`);

  defineRoute(app, routes.communeList, async (request) =>
    registry.places.listCommunes().filter((c) => request.scope.allowsCommune(c.id)),
  );
  defineRoute(app, routes.communeCreate, async (request, reply) => {
    // A new commune is outside every commune admin's scope: adding one is the province's job.
    if (!request.scope.isAll)
      throw new HubError('HUB_ERR_FORBIDDEN', 'adding a commune needs an admin of the whole province');
    const commune = registry.places.addCommune(request.body);
    await registry.durable();
    return reply.code(201).send(commune);
  });

  defineRoute(app, routes.villageList, async (request) =>
    registry.places.listVillages().filter((v) => request.scope.allowsVillage(v.id)),
  );
  defineRoute(app, routes.villageCreate, async (request, reply) => {
    if (!request.scope.allowsCommune(request.body.communeId ?? null))
      throw notYours(`commune ${request.body.communeId ?? '(none)'}`);
    const village = registry.places.addVillage(request.body);
    await registry.durable();
    return reply.code(201).send(village);
  });
  defineRoute(app, routes.villageUpdate, async (request) => {
    const { communeId } = request.body;
    if (!request.scope.allowsVillage(request.params.id)) throw notYours(`village ${request.params.id}`);
    if (communeId !== undefined && !request.scope.allowsCommune(communeId))
      throw notYours(`commune ${communeId}`);
    return devices.updateVillage(request.params.id, request.body);
  });

  defineRoute(app, routes.siteList, async (request) =>
    registry.places.listSites().filter((s) => request.scope.allowsVillage(s.villageId)),
  );
  defineRoute(app, routes.siteCreate, async (request, reply) => {
    if (!request.scope.allowsVillage(request.body.villageId))
      throw notYours(`village ${request.body.villageId}`);
    const site = registry.places.addSite(request.body);
    await registry.durable();
    return reply.code(201).send(site);
  });
};
