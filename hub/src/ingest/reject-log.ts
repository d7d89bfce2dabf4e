import type { Logger } from '../logger.ts';

/** Logs a rejected input at most once per (device, reason) per interval, with how many were suppressed. */
export class RejectLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly intervalMs = 60_000,
  ) {}

  warn(deviceId: string, reason: string, detail: Record<string, unknown> = {}): void {
    const key = `${deviceId}\0${reason}`;
    const now = this.now();
    const entry = this.last.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return;
    }
    this.logger.warn(
      { deviceId, reason, suppressed: entry?.suppressed ?? 0, ...detail },
      'device message rejected',
    );
    this.last.set(key, { at: now, suppressed: 0 });
    if (this.last.size > 100_000) this.last.clear();
  }
}
