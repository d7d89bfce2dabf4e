import type { FastifyInstance } from 'fastify';
import { buildApp, type HubDeps } from './app.ts';
import { type HubConfig, loadConfig } from './config.ts';

export { buildApp, type HubDeps } from './app.ts';
export { ensureFirstAdmin, type FirstAdmin } from './auth/first-admin.ts';
export type { Clock } from './clock.ts';
export { type HubConfig, loadConfig } from './config.ts';
export { HubError } from './errors.ts';
export { nextStatus } from './liveness/transition.ts';
export { SqliteTimeSeriesStore } from './store/sqlite-store.ts';
export type * from './store/types.ts';

export interface StartedHub {
  app: FastifyInstance;
  config: HubConfig;
  httpUrl: string;
  mqttUrl: string;
  /** `mqtts://…` when TLS is configured, else empty. */
  mqttsUrl: string;
  httpPort: number;
  mqttPort: number;
  mqttsPort: number;
  /** Re-reads HUB_TLS_CERT/KEY/CA (what SIGHUP does); throws, changing nothing, on a bad pair. */
  reloadTls(): void;
  adminToken: string;
  generatedToken: boolean;
  close(): Promise<void>;
}

/**
 * Builds and starts a hub: HTTP (REST, socket.io, dashboard) and MQTT. Settings come from HUB_* env
 * vars with `overrides` on top; tests pass port 0 and a temp data dir.
 */
export async function startHub(overrides: Partial<HubConfig> = {}, deps: HubDeps = {}): Promise<StartedHub> {
  const { config, generatedToken } = loadConfig(process.env, overrides);
  const app = await buildApp(config, deps);
  try {
    await app.listen({ port: config.httpPort, host: config.httpHost });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : config.httpPort;
  const mqttPort = app.broker.port;
  const host = (h: string) => (h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h);
  const mqttsPort = app.broker.tlsPort;
  return {
    app,
    config,
    httpUrl: `${app.tlsReloader ? 'https' : 'http'}://${host(config.httpHost)}:${httpPort}`,
    mqttUrl: mqttPort ? `mqtt://${host(config.mqttHost)}:${mqttPort}` : '',
    mqttsUrl: mqttsPort ? `mqtts://${host(config.mqttHost)}:${mqttsPort}` : '',
    httpPort,
    mqttPort,
    mqttsPort,
    reloadTls: () => app.tlsReloader?.reload(),
    adminToken: config.adminToken,
    generatedToken,
    close: () => app.close(),
  };
}
