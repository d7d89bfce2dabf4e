import type { ProbeConfigMessage } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { ProbeRunner } from '../runner.ts';

/** The runner's schedule: who is due when, and everyone at once after a reconnect (makeAllDue). */
describe('ProbeRunner schedule', () => {
  const config: ProbeConfigMessage = {
    v: 1,
    type: 'probeConfig',
    gateway: 'gw',
    rev: 1,
    issuedAt: 0,
    children: [
      // TCP against a closed loopback port: refused at once, no waiting.
      { id: 'a', kind: 'camera', target: { type: 'tcp', address: '127.0.0.1', port: 9, intervalS: 60 } },
      { id: 'b', kind: 'wifi', target: { type: 'tcp', address: '127.0.0.1', port: 9, intervalS: 600 } },
    ],
  };

  it('probes each child once per interval, and every child at the next cycle after makeAllDue', async () => {
    let now = 1_000_000;
    const runner = new ProbeRunner({
      concurrency: 2,
      timeoutMs: 2000,
      pingCount: 1,
      vendors: new Map(),
      now: () => now,
    });
    expect(runner.due(config, now).map((c) => c.id)).toEqual(['a', 'b']);
    await runner.run(runner.due(config, now));
    expect(runner.due(config, now)).toEqual([]);
    now += 60_000;
    expect(runner.due(config, now).map((c) => c.id)).toEqual(['a']);
    await runner.run(runner.due(config, now));
    now += 1000;
    expect(runner.due(config, now)).toEqual([]);
    runner.makeAllDue();
    expect(runner.due(config, now).map((c) => c.id)).toEqual(['a', 'b']);
  });
});
