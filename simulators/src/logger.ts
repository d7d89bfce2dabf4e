import pino, { type Logger } from 'pino';

/** Root logger of the simulators: JSON on stderr so stdout stays free for summaries and piping. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'sim', level }, pino.destination(2));
}

export type { Logger };
