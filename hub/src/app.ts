import type { Server as TlsServer } from 'node:tls';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { alertChannelRoutes } from './api/alert-channels.ts';
import { alertRoutes } from './api/alerts.ts';
import { authRoutes } from './api/auth.ts';
import { criteriaRoutes } from './api/criteria.ts';
import { criteriaExportRoutes } from './api/criteria-export.ts';
import { deviceAdminRoutes } from './api/device-admin.ts';
import { deviceRoutes } from './api/devices.ts';
import { installErrorHandler } from './api/errors.ts';
import { placeRoutes } from './api/places.ts';
import { probeRoutes } from './api/probes.ts';
import { systemRoutes } from './api/system.ts';
import { uptimeRoutes } from './api/uptime.ts';
import { type Clock, systemClock } from './clock.ts';
import { type HubConfig, trustProxySetting } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { alertDeliveryPlugin } from './plugins/alert-delivery.ts';
import { alertsPlugin } from './plugins/alerts.ts';
import { authPlugin } from './plugins/auth.ts';
import { brokerPlugin } from './plugins/broker.ts';
import { clusterPlugin, clusterRelayPlugin } from './plugins/cluster.ts';
import { criteriaPlugin } from './plugins/criteria.ts';
import { devicesPlugin } from './plugins/devices.ts';
import { eventsPlugin } from './plugins/events.ts';
import './plugins/context.ts';
import { homePlugin } from './home/plugin.ts';
import { livenessPlugin } from './plugins/liveness.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { probesPlugin } from './plugins/probes.ts';
import { realtimePlugin } from './plugins/realtime.ts';
import { registryPlugin } from './plugins/registry.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { sharedStatePlugin } from './plugins/shared-state.ts';
import { storePlugin } from './plugins/store.ts';
import { uptimePlugin } from './plugins/uptime.ts';
import { isDashboardRoute, webPlugin } from './plugins/web.ts';
import { publicStatusPlugin } from './public-status/plugin.ts';
import { readSecureContext, TlsReloader, tlsFilesOf } from './tls.ts';

export interface HubDeps {
  clock?: Clock;
  logger?: Logger;
}

/** Builds the hub: every concern a plugin, in dependency order. Listening is the caller's job (server.ts). */
export async function buildApp(config: HubConfig, deps: HubDeps = {}): Promise<FastifyInstance> {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const tlsFiles = tlsFilesOf(config);
  const app = Fastify({
    // HTTPS when a certificate is configured; SIGHUP swaps it (TlsReloader) without a restart.
    ...(tlsFiles && { https: readSecureContext(tlsFiles) }),
    // Idle and slow connections do not hold file descriptors for ever (finding 8).
    connectionTimeout: config.httpRequestTimeoutMs,
    keepAliveTimeout: config.httpKeepAliveTimeoutMs,
    requestTimeout: config.httpRequestTimeoutMs,
    loggerInstance: logger,
    // Per-request lines would drown device events at info level; errors are still logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // request.ip from X-Forwarded-For only when the peer is a trusted proxy (HUB_TRUST_PROXY).
    trustProxy: trustProxySetting(config.trustProxy),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;
  app.server.headersTimeout = Math.min(config.httpHeadersTimeoutMs, config.httpRequestTimeoutMs);
  app.server.maxConnections = config.httpMaxConnections;
  const tlsReloader = tlsFiles ? new TlsReloader(tlsFiles) : undefined;
  if (tlsReloader) tlsReloader.add(app.server as unknown as TlsServer);
  app.decorate('tlsReloader', tlsReloader);
  app.decorate('config', config);
  app.decorate('clock', deps.clock ?? systemClock);
  app.decorate('metrics', createMetrics());
  installErrorHandler(app, isDashboardRoute(config.webDir));

  const plugins = [
    securityHeadersPlugin,
    eventsPlugin,
    registryPlugin,
    authPlugin,
    devicesPlugin,
    storePlugin,
    uptimePlugin,
    clusterPlugin,
    sharedStatePlugin,
    livenessPlugin,
    realtimePlugin,
    criteriaPlugin,
    alertDeliveryPlugin,
    alertsPlugin,
    brokerPlugin,
    probesPlugin,
    clusterRelayPlugin,
    openapiPlugin,
    systemRoutes,
    authRoutes,
    deviceRoutes,
    deviceAdminRoutes,
    placeRoutes,
    uptimeRoutes,
    probeRoutes,
    criteriaRoutes,
    criteriaExportRoutes,
    alertChannelRoutes,
    alertRoutes,
    homePlugin,
    publicStatusPlugin,
    webPlugin,
  ];
  try {
    for (const plugin of plugins) {
      await app.register(plugin as never);
    }
  } catch (err) {
    // A plugin that cannot start (an unreachable store, a port in use) must not leave the ones before it
    // holding files, sockets or timers: close what was opened, then report the original error.
    await app.close().catch(() => {});
    throw err;
  }
  return app;
}
