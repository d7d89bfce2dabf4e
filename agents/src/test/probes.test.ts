import http from 'node:http';
import type net from 'node:net';
import { Heartbeat } from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHeartbeat } from '../heartbeat.ts';
import { PortalProbe, ProcessProbe, SystemProbe, systemFaults } from '../probes/index.ts';
import { freePort, ManualClock } from './helpers.ts';

describe('probes on this machine', () => {
  it('builds a schema-valid heartbeat from the real system metrics', async () => {
    const clock = new ManualClock();
    const probe = new SystemProbe(clock);
    await probe.collect();
    clock.time += 60_000;
    const result = await probe.collect();
    const hb = buildHeartbeat({ ts: clock.now(), seq: 7, up: 1234.4, results: [result] });

    expect(Value.Check(Heartbeat, hb)).toBe(true);
    const m = hb.m as Record<string, number>;
    for (const pct of ['cpuPct', 'memPct', 'diskPct'] as const) {
      expect(m[pct]).toBeGreaterThanOrEqual(0);
      expect(m[pct]).toBeLessThanOrEqual(100);
    }
    expect(m.uptimeS).toBeGreaterThan(0);
    expect(m.load1).toBeGreaterThanOrEqual(0);
    // Rates come from byte counters between the two samples, 60 s apart on the injected clock.
    expect(m.rxBps).toBeGreaterThanOrEqual(0);
    expect(m.txBps).toBeGreaterThanOrEqual(0);
    expect(hb).toMatchObject({ v: 1, seq: 7, up: 1234, ts: clock.now() });
  });

  it('reports disk_full above 95 % and degrades the heartbeat', () => {
    expect(systemFaults({ diskPct: 95 })).toEqual([]);
    expect(systemFaults({ diskPct: 95.1 })).toEqual(['disk_full']);
    const hb = buildHeartbeat({
      ts: 1,
      seq: 0,
      up: 0,
      results: [{ metrics: { diskPct: 97 }, faults: ['disk_full'] }],
    });
    expect(hb.st).toBe('degraded');
    expect(hb.faults).toEqual(['disk_full']);
    expect(Value.Check(Heartbeat, hb)).toBe(true);
  });

  it('drops metrics the protocol would reject instead of sending an invalid heartbeat', () => {
    const hb = buildHeartbeat({
      ts: 1,
      seq: 0,
      up: 0,
      results: [
        { metrics: { ok: 1, 'bad key': 2, nan: Number.NaN, inf: Number.POSITIVE_INFINITY }, faults: [] },
      ],
    });
    expect(hb.m).toEqual({ ok: 1 });
    expect(hb.st).toBe('ok');
    expect(Value.Check(Heartbeat, hb)).toBe(true);
  });

  it('finds running processes and reports missing ones as app_not_running', async () => {
    // The vitest worker itself is a process named "node".
    const result = await new ProcessProbe(['node', 'MsMpEng.exe-not-here']).collect();
    expect(result.metrics).toEqual({ proc_node: true, proc_MsMpEng_exe_not_here: false });
    expect(result.faults).toEqual(['app_not_running']);
    expect((await new ProcessProbe(['node']).collect()).faults).toEqual([]);
  });

  describe('portal reachability', () => {
    let server: http.Server;
    let url: string;
    const methods: string[] = [];
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        methods.push(req.method ?? '');
        res.writeHead(405).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('measures a HEAD round trip; any HTTP answer counts as reachable', async () => {
      const result = await new PortalProbe(url, 2000).collect();
      expect(methods).toEqual(['HEAD']);
      expect(result.faults).toEqual([]);
      expect(result.metrics).toMatchObject({ portalOk: true, portalStatus: 405 });
      expect(result.metrics.portalMs).toBeGreaterThanOrEqual(0);
    });

    it('reports portal_unreachable when nothing answers', async () => {
      const result = await new PortalProbe(`http://127.0.0.1:${await freePort()}/`, 2000).collect();
      expect(result).toEqual({ metrics: { portalOk: false }, faults: ['portal_unreachable'] });
    });
  });
});
