import { routes } from '@commune-hub/protocol';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { defineRoute } from '../api/define-route.ts';
import { HUB_VERSION } from '../version.ts';

/**
 * The REST contract as an OpenAPI 3.1 document (GET /api/openapi.json) and a browsable reference
 * (/api/docs). Built by @fastify/swagger from the schemas every route was registered with, which come
 * from protocol's route map, so the document cannot disagree with the routes. Registered before the
 * route plugins: swagger collects routes as they are added.
 */
export const openapiPlugin = fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        // 3.1: JSON Schema as TypeBox writes it (const, type null, patternProperties) is valid as is.
        openapi: '3.1.0',
        info: {
          title: 'Commune Hub API',
          version: HUB_VERSION,
          description:
            'REST API of the hub. Every route but /healthz and sign-in needs a role (viewer, operator, admin): ' +
            '`Authorization: Bearer <personal API token>`, or the session cookie plus `x-csrf-token` on writes. ' +
            'Errors answer `{statusCode, code, error, message}` with a stable `HUB_ERR_*` code.',
        },
        components: {
          securitySchemes: {
            apiToken: {
              type: 'http',
              scheme: 'bearer',
              description: 'personal API token (npm run users -- token)',
            },
            session: { type: 'apiKey', in: 'cookie', name: 'hub_session' },
          },
        },
        tags: [
          { name: 'devices', description: 'Provisioning and live state' },
          { name: 'auth', description: 'Sign-in, users, personal API tokens, audit log' },
          { name: 'history', description: 'Stored heartbeats, transitions and metric series' },
          { name: 'uptime', description: 'Measured uptime and maintenance windows' },
          { name: 'places', description: 'Communes, villages and sites' },
          {
            name: 'criteria',
            description:
              'Criteria sets, evaluation with evidence, manual inputs, frozen reports and the annex files',
          },
          {
            name: 'alerts',
            description: 'Alerts, rules, schedules and holidays, mutes, recurring maintenance',
          },
          { name: 'alert-channels', description: 'Where alerts are sent, and every delivery attempt' },
          { name: 'system', description: 'The hub itself' },
        ],
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
    defineRoute(app, routes.openapi, async () => app.swagger() as unknown as Record<string, never>);
  },
  { name: 'openapi' },
);
