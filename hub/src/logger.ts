import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

/** The logger type every module takes: fastify's view of pino, so `app.log.child(...)` fits anywhere. */
export type Logger = FastifyBaseLogger;

/** One root logger per hub; modules take `logger.child({ module })`. */
export function createLogger(level: string): pino.Logger {
  return pino({ level, base: { svc: 'hub' }, timestamp: pino.stdTimeFunctions.isoTime });
}
