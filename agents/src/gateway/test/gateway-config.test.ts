import net from 'node:net';
import { deviceTopic, type Heartbeat, type ProbeConfigMessage } from '@commune-hub/protocol';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  agentConfig,
  ManualClock,
  ManualScheduler,
  silentLogger,
  startBroker,
  type TestBroker,
  waitFor,
} from '../../test/helpers.ts';
import { ProbeConfigStore } from '../config-store.ts';
import { GATEWAY_DEFAULTS, GatewayAgent } from '../gateway.ts';

const config = (rev: number, children: ProbeConfigMessage['children']): ProbeConfigMessage => ({
  v: 1,
  type: 'probeConfig',
  gateway: 'gw-1',
  rev,
  issuedAt: 0,
  children,
});
const tcpChild = (id: string, port: number): ProbeConfigMessage['children'][number] => ({
  id,
  kind: 'display',
  target: { type: 'tcp', address: '127.0.0.1', port, intervalS: 10 },
});

describe('ProbeConfigStore keeps the last good config', () => {
  const cases: Array<[string, string]> = [
    ['not JSON', '{nope'],
    ['wrong version', JSON.stringify({ ...config(5, []), v: 2 })],
    ['another gateway', JSON.stringify({ ...config(5, []), gateway: 'gw-2' })],
    [
      'interval below the minimum',
      JSON.stringify(
        config(5, [{ ...tcpChild('x', 1), target: { type: 'icmp', address: '10.0.0.1', intervalS: 1 } }]),
      ),
    ],
    ['older revision', JSON.stringify(config(1, []))],
  ];
  for (const [name, payload] of cases) {
    it(`refuses ${name}`, () => {
      const store = new ProbeConfigStore('gw-1');
      expect(store.offer(JSON.stringify(config(2, [tcpChild('a', 1)]))).accepted).toBe(true);
      const outcome = store.offer(payload);
      expect(outcome.accepted).toBe(false);
      expect(store.config?.rev).toBe(2);
      expect(store.config?.children.map((c) => c.id)).toEqual(['a']);
      expect(store.invalid).toBeTruthy();
      expect(store.offer(JSON.stringify(config(3, []))).accepted).toBe(true);
      expect(store.invalid).toBeUndefined();
    });
  }
});

describe('GatewayAgent', () => {
  let broker: TestBroker | undefined;
  let gateway: GatewayAgent | undefined;
  let target: net.Server | undefined;
  afterEach(async () => {
    await gateway?.stop();
    await broker?.close();
    await new Promise((r) => (target ? target.close(r) : r(undefined)));
  });

  it('probes children under their own ids, keeps its last good config on garbage and says so in its heartbeat', async () => {
    broker = await startBroker({ 'gw-1': 's1', hub: 'h' });
    target = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => target!.listen(0, '127.0.0.1', r));
    const port = (target.address() as net.AddressInfo).port;
    const clock = new ManualClock();
    gateway = new GatewayAgent(
      agentConfig({
        hubUrl: broker.url,
        spoolDir: '/nonexistent',
        id: 'gw-1',
        secret: 's1',
        kind: 'gateway',
        intervalS: 10,
      }),
      { ...GATEWAY_DEFAULTS, tickMs: 1000 },
      { clock, scheduler: new ManualScheduler(), logger: silentLogger },
    );
    gateway.start();
    await waitFor(() => gateway!.connected, 'gateway connected');
    const hub = await mqtt.connectAsync(broker.url, { clientId: 'hub', username: 'hub', password: 'h' });
    const heartbeats = (id: string) =>
      broker!.received
        .filter((m) => m.topic === deviceTopic(id, 'hb'))
        .map((m) => JSON.parse(m.payload) as Heartbeat);
    await hub.publishAsync(
      deviceTopic('gw-1', 'cmd'),
      JSON.stringify(config(1, [tcpChild('child-1', port), tcpChild('child-2', 1)])),
      { qos: 1, retain: true },
    );
    await waitFor(
      () => heartbeats('child-1').length > 0 && heartbeats('child-2').length > 0,
      'child heartbeats',
    );
    expect(heartbeats('child-1')[0]).toMatchObject({ v: 1, st: 'ok', m: { reachable: true } });
    expect(heartbeats('child-2')[0]).toMatchObject({
      st: 'fault',
      faults: ['refused'],
      m: { reachable: false },
    });
    expect(heartbeats('gw-1')[0]).toMatchObject({ st: 'ok', m: { probeChildren: 2, probeConfigRev: 1 } });

    await hub.publishAsync(deviceTopic('gw-1', 'cmd'), '{"v":1,"type":"probeConfig", garbage', {
      qos: 1,
      retain: true,
    });
    await waitFor(() => gateway!.configInvalid, 'garbage refused');
    clock.time += 10_000;
    const report = await gateway.cycle();
    expect(report.ownHeartbeat).toMatchObject({
      st: 'degraded',
      faults: ['probe_config_invalid'],
      m: { probeChildren: 2, probeConfigRev: 1 },
    });
    // Still probing both children with the last good config.
    expect(report.probed.map((p) => p.id).sort()).toEqual(['child-1', 'child-2']);
    await hub.endAsync();
  });
});
