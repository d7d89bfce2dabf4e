import { DeviceMeta, Heartbeat } from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceAgent } from '../agent.ts';
import {
  agentConfig,
  ManualClock,
  ManualScheduler,
  makeTempDir,
  silentLogger,
  startBroker,
  type TestBroker,
  waitFor,
} from './helpers.ts';

const ID = 'hk-kiosk-01';
const SECRET = 'test-secret';

describe('device agent over a real broker', () => {
  let broker: TestBroker;
  let tmp: ReturnType<typeof makeTempDir>;
  let agent: DeviceAgent | undefined;
  beforeEach(async () => {
    broker = await startBroker({ [ID]: SECRET });
    tmp = makeTempDir('agent-');
  });
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
    await broker.close();
    tmp.cleanup();
  });
  const on = (channel: string) => broker.received.filter((m) => m.topic === `commune/v1/${ID}/${channel}`);

  it('announces itself and publishes schema-valid heartbeats with this machine’s real metrics', async () => {
    const scheduler = new ManualScheduler();
    agent = new DeviceAgent(
      agentConfig({ hubUrl: broker.url, spoolDir: tmp.dir, expectProcesses: ['node', 'no-such-kiosk-app'] }),
      { logger: silentLogger, scheduler, clock: new ManualClock(), immediateFirstTick: true },
    );
    await agent.start();
    expect(scheduler.intervals).toEqual([60_000]);
    await waitFor(() => on('hb').length === 1 && on('meta').length === 1, 'first heartbeat and meta');

    const status = on('status');
    expect(status[0]).toMatchObject({ payload: 'online', retain: true, clientId: ID });
    const meta: unknown = JSON.parse(on('meta')[0]!.payload);
    expect(Value.Check(DeviceMeta, meta)).toBe(true);
    expect(meta).toMatchObject({ v: 1, kind: 'kiosk', capabilities: ['system', 'processes'] });

    scheduler.fireAll(); // the interval elapses
    await waitFor(() => on('hb').length === 2, 'second heartbeat');
    const [first, second] = on('hb').map((m) => JSON.parse(m.payload) as unknown);
    for (const hb of [first, second]) expect(Value.Check(Heartbeat, hb)).toBe(true);
    const hb = second as Heartbeat;
    expect(hb.seq).toBe(1);
    expect(hb.st).toBe('degraded');
    expect(hb.faults).toEqual(['app_not_running']);
    expect(hb.m).toMatchObject({ proc_node: true, proc_no_such_kiosk_app: false });
    expect(typeof hb.m.cpuPct).toBe('number');
    expect(typeof hb.m.memPct).toBe('number');
    expect(typeof hb.m.diskPct).toBe('number');
    await waitFor(() => agent!.stats().spooled === 0, 'spool drained after PUBACKs');
  });

  it('stops cleanly: offline retained, no will', async () => {
    agent = new DeviceAgent(agentConfig({ hubUrl: broker.url, spoolDir: tmp.dir }), {
      logger: silentLogger,
      scheduler: new ManualScheduler(),
      immediateFirstTick: false,
    });
    await agent.start();
    await waitFor(() => agent!.isConnected, 'connection');
    await agent.stop();
    expect(on('status').map((m) => [m.payload, m.retain])).toEqual([
      ['online', true],
      ['offline', true],
    ]);
  });

  it('keeps spooling when the hub refuses its secret', async () => {
    agent = new DeviceAgent(agentConfig({ hubUrl: broker.url, spoolDir: tmp.dir, secret: 'wrong' }), {
      logger: silentLogger,
      scheduler: new ManualScheduler(),
      immediateFirstTick: false,
    });
    await agent.start();
    await agent.tick();
    await waitFor(() => broker.refused >= 2, 'two refused connection attempts');
    expect(agent.isConnected).toBe(false);
    expect(agent.stats()).toMatchObject({ spooled: 1, acked: 0 });
    expect(on('hb')).toEqual([]);
  });
});
