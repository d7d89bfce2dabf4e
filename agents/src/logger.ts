import { type Logger, pino } from 'pino';

export type { Logger };

/** Root logger of the agent; modules take `logger.child({ module })` from it. */
export function createAgentLogger(level = 'info'): Logger {
  return pino({ name: 'commune-agent', level });
}
