import type { RouteResult, RouteSpec } from '@commune-hub/protocol';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { HubError } from '../errors.ts';
import { routeNameOf } from '../plugins/auth.ts';

type StaticOr<T, Else> = T extends TSchema ? Static<T> : Else;

export type RouteRequest<R extends RouteSpec> = FastifyRequest<{
  Params: StaticOr<R['params'], unknown>;
  Querystring: StaticOr<R['querystring'], unknown>;
  Body: StaticOr<R['body'], unknown>;
}>;

/** A handler returns the route's success body, or the reply it already sent (`reply.code(201).send(...)`). */
export type RouteHandler<R extends RouteSpec> = (
  request: RouteRequest<R>,
  reply: FastifyReply,
) => Promise<RouteResult<R> | FastifyReply | string>;

/** The role a route needs: what the map says, `viewer` when it says nothing (closed by default). */
export const neededRole = (spec: RouteSpec) => spec.auth ?? 'viewer';

/** The fastify schema of a route: validation, serialization and the OpenAPI entry, all from the map. */
export function fastifySchema(spec: RouteSpec): FastifySchema & Record<string, unknown> {
  const role = neededRole(spec);
  return {
    summary: spec.summary,
    description: [spec.description, role === 'public' ? 'Anonymous.' : `Role: ${role} or above.`]
      .filter(Boolean)
      .join('\n\n'),
    tags: [...spec.tags],
    ...(spec.params && { params: spec.params }),
    ...(spec.querystring && { querystring: spec.querystring }),
    ...(spec.body && { body: spec.body }),
    ...(spec.consumes && { consumes: [spec.consumes] }),
    ...(spec.produces && { produces: [spec.produces] }),
    ...(role !== 'public' && { security: [{ apiToken: [] }, { session: [] }] }),
    response: spec.response,
  };
}

export interface RouteOptions {
  /**
   * The schema documents the body, but a failed check does not answer 400 by itself: it is left on
   * `request.validationError` and the handler's own validator decides, so the refusal can name the field
   * the way an official reads it (the alerts service). Auth still runs first.
   */
  attachValidation?: boolean;
}

/**
 * Registers one route of protocol's route map: method, path, schemas and auth come from the map, so a
 * handler cannot drift from the contract that the client and the OpenAPI document are built from.
 * Auth runs in `onRequest`, before fastify reads or validates the body: an anonymous 10 MB upload is
 * refused with 401 without being read, and an anonymous caller never sees a schema description.
 */
export function defineRoute<R extends RouteSpec>(
  app: FastifyInstance,
  spec: R,
  handler: RouteHandler<R>,
  options: RouteOptions = {},
): void {
  const name = routeNameOf.get(spec);
  if (!name) throw new HubError('HUB_ERR_INTERNAL', `${spec.method} ${spec.url} is not in the route map`);
  const needed = neededRole(spec);
  app.route({
    method: spec.method,
    url: spec.url,
    schema: fastifySchema(spec),
    onRequest: (request, reply) => app.authorize(request, reply, needed, name),
    ...(options.attachValidation && { attachValidation: true }),
    handler: handler as never,
  });
}

/** 404 unless the caller's scope holds the device (existence outside it does not leak). */
export function mustSeeDevice<D extends { villageId: string }>(
  request: FastifyRequest,
  id: string,
  device: D | undefined,
): D {
  if (!device || (request.scope && !request.scope.allowsDevice(device))) {
    throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${id}`);
  }
  return device;
}
