import { describe, expect, it } from 'vitest';
import type { Logger } from '../logger.ts';
import { RejectLog } from './reject-log.ts';

describe('RejectLog', () => {
  it('logs once per device and reason per minute, and says how many it held back', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = { warn: (obj: Record<string, unknown>) => lines.push(obj) } as unknown as Logger;
    let now = 0;
    const log = new RejectLog(logger, () => now);
    for (let i = 0; i < 1000; i++) log.warn('dev-a', 'schema');
    log.warn('dev-b', 'schema');
    log.warn('dev-a', 'invalid_json');
    expect(lines).toHaveLength(3);
    now += 59_999;
    log.warn('dev-a', 'schema');
    expect(lines).toHaveLength(3);
    now += 1;
    log.warn('dev-a', 'schema');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatchObject({ deviceId: 'dev-a', reason: 'schema', suppressed: 1000 });
  });
});
