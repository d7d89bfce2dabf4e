import { HubError } from '../errors.ts';

const DAY_MS = 86_400_000;

/** Accepts ISO 8601 or epoch milliseconds. */
export function parseTime(value: string, name: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new HubError(
      'HUB_ERR_BAD_TIME_RANGE',
      `${name} must be an ISO 8601 time or epoch milliseconds, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** `to` defaults to now, `from` to a day before `to`. */
export function parseRange(query: { from?: string; to?: string }, now: number): { from: number; to: number } {
  const to = query.to === undefined ? now : parseTime(query.to, 'to');
  const from = query.from === undefined ? to - DAY_MS : parseTime(query.from, 'from');
  if (from > to)
    throw new HubError('HUB_ERR_BAD_TIME_RANGE', `from (${query.from}) is after to (${query.to})`);
  return { from, to };
}
