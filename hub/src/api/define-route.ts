import type { RouteResult, RouteSpec } from '@commune-hub/protocol';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { requireAdmin } from './auth.ts';

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

/** The fastify schema of a route: validation, serialization and the OpenAPI entry, all from the map. */
export function fastifySchema(spec: RouteSpec): FastifySchema & Record<string, unknown> {
  return {
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    tags: [...spec.tags],
    ...(spec.params && { params: spec.params }),
    ...(spec.querystring && { querystring: spec.querystring }),
    ...(spec.body && { body: spec.body }),
    ...(spec.consumes && { consumes: [spec.consumes] }),
    ...(spec.produces && { produces: [spec.produces] }),
    ...(spec.auth === 'admin' && { security: [{ adminToken: [] }] }),
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
 */
export function defineRoute<R extends RouteSpec>(
  app: FastifyInstance,
  spec: R,
  handler: RouteHandler<R>,
  options: RouteOptions = {},
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    schema: fastifySchema(spec),
    ...(spec.auth === 'admin' && { preHandler: requireAdmin(app.config.adminToken) }),
    ...(options.attachValidation && { attachValidation: true }),
    handler: handler as never,
  });
}
