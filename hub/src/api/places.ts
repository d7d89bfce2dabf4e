import {
  Commune,
  CommuneCreate,
  PlaceId,
  Site,
  SiteCreate,
  Village,
  VillageCreate,
  VillageUpdate,
} from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAdmin } from './auth.ts';

/** Communes (with mergers), villages and sites: where devices stand. */
export const placeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;
  const admin = requireAdmin(app.config.adminToken);

  app.get('/api/communes', { schema: { response: { 200: Type.Array(Commune) } } }, async () =>
    registry.places.listCommunes(),
  );
  app.post(
    '/api/communes',
    { preHandler: admin, schema: { body: CommuneCreate, response: { 201: Commune } } },
    async (request, reply) => reply.code(201).send(registry.places.addCommune(request.body)),
  );

  app.get('/api/villages', { schema: { response: { 200: Type.Array(Village) } } }, async () =>
    registry.places.listVillages(),
  );
  app.post(
    '/api/villages',
    { preHandler: admin, schema: { body: VillageCreate, response: { 201: Village } } },
    async (request, reply) => reply.code(201).send(registry.places.addVillage(request.body)),
  );
  app.patch(
    '/api/villages/:id',
    {
      preHandler: admin,
      schema: { params: Type.Object({ id: PlaceId }), body: VillageUpdate, response: { 200: Village } },
    },
    async (request) => registry.updateVillage(request.params.id, request.body),
  );

  app.get('/api/sites', { schema: { response: { 200: Type.Array(Site) } } }, async () =>
    registry.places.listSites(),
  );
  app.post(
    '/api/sites',
    { preHandler: admin, schema: { body: SiteCreate, response: { 201: Site } } },
    async (request, reply) => reply.code(201).send(registry.places.addSite(request.body)),
  );
};
