import type { Heartbeat } from '@commune-hub/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceAgent } from '../agent.ts';
import {
  agentConfig,
  freePort,
  ManualClock,
  ManualScheduler,
  makeTempDir,
  silentLogger,
  startBroker,
  staticProbe,
  type TestBroker,
  waitFor,
} from './helpers.ts';

const ID = 'hk-kiosk-01';
const HB_TOPIC = `commune/v1/${ID}/hb`;

describe('store and forward', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const brokers: TestBroker[] = [];
  const agents: DeviceAgent[] = [];
  const clock = new ManualClock(1_700_000_000_000);

  beforeEach(() => {
    tmp = makeTempDir('agent-sf-');
  });
  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.stop();
    for (const broker of brokers.splice(0)) await broker.close().catch(() => {});
    tmp.cleanup();
  });

  const startAgent = async (hubUrl: string, window = 3): Promise<DeviceAgent> => {
    const agent = new DeviceAgent(
      agentConfig({ id: ID, hubUrl, spoolDir: tmp.dir, inflightWindow: window }),
      {
        logger: silentLogger,
        clock,
        scheduler: new ManualScheduler(),
        probes: [staticProbe()],
        immediateFirstTick: false,
      },
    );
    agents.push(agent);
    await agent.start();
    return agent;
  };
  const newBroker = async (port = 0): Promise<TestBroker> => {
    const broker = await startBroker({ [ID]: 'test-secret' }, port);
    brokers.push(broker);
    return broker;
  };
  const tickAt = async (agent: DeviceAgent, ts: number): Promise<void> => {
    clock.time = ts;
    expect(await agent.tick()).toBeDefined();
  };
  const heartbeats = (...all: TestBroker[]): Heartbeat[] =>
    all.flatMap((b) =>
      b.received.filter((m) => m.topic === HB_TOPIC).map((m) => JSON.parse(m.payload) as Heartbeat),
    );

  it('spools while the broker is down and replays in order, once each, with original ts, before live ones', async () => {
    const first = await newBroker();
    const agent = await startAgent(first.url, 3);
    await waitFor(() => agent.isConnected, 'connection');
    await tickAt(agent, 1_000);
    await waitFor(
      () => heartbeats(first).length === 1 && agent.stats().spooled === 0,
      'live heartbeat acked',
    );

    await first.close();
    await waitFor(() => !agent.isConnected, 'agent notices the broker is gone');
    for (let i = 2; i <= 8; i++) await tickAt(agent, i * 1_000);
    expect(agent.stats()).toMatchObject({ spooled: 7, acked: 1 });

    const second = await newBroker(first.port);
    let maxInflightSeen = 0;
    second.onPublish = (m) => {
      if (m.topic === HB_TOPIC) maxInflightSeen = Math.max(maxInflightSeen, agent.stats().inflight);
    };
    await waitFor(() => heartbeats(second).length === 7, 'replay of the 7 spooled heartbeats');
    await tickAt(agent, 9_000);
    await waitFor(
      () => heartbeats(second).length === 8 && agent.stats().spooled === 0,
      'live heartbeat after replay',
    );

    const all = heartbeats(first, second);
    expect(all.map((h) => h.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all.map((h) => h.ts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => s * 1_000));
    expect(maxInflightSeen).toBeGreaterThanOrEqual(1);
    expect(maxInflightSeen).toBeLessThanOrEqual(3);
    expect(agent.stats()).toMatchObject({ acked: 9, dropped: 0, heartbeats: 9 });
  });

  it('keeps the spool and the seq across an agent restart', async () => {
    const port = await freePort(); // the hub is down when the agent starts
    const url = `mqtt://127.0.0.1:${port}`;
    const offlineAgent = await startAgent(url);
    for (let i = 1; i <= 3; i++) await tickAt(offlineAgent, i * 1_000);
    await offlineAgent.stop();

    const broker = await newBroker(port);
    const restarted = await startAgent(url);
    await waitFor(() => heartbeats(broker).length === 3, 'replay after restart');
    await tickAt(restarted, 4_000);
    await waitFor(() => heartbeats(broker).length === 4, 'live heartbeat');
    await waitFor(() => restarted.stats().spooled === 0, 'spool drained');
    await restarted.stop();

    const third = await startAgent(url);
    await waitFor(() => third.isConnected, 'third run connected');
    await tickAt(third, 5_000);
    await waitFor(() => heartbeats(broker).length === 5, 'heartbeat of the third run');
    expect(heartbeats(broker).map((h) => [h.seq, h.ts])).toEqual([
      [0, 1_000],
      [1, 2_000],
      [2, 3_000],
      [3, 4_000],
      [4, 5_000],
    ]);
  });
});
