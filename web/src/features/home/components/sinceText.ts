import type { Dictionary } from '../../../i18n/dictionary.ts';
import { formatDateTime, formatTime } from '../../../i18n/format.ts';

const TODAY_MS = 20 * 3_600_000;

/** "07:42" for today's events; a full date and time when it is older than most of a day. */
export function clockOf(t: Dictionary, iso: string, now: number): string {
  return now - Date.parse(iso) < TODAY_MS ? formatTime(t, iso) : formatDateTime(t, iso);
}
