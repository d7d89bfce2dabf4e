/**
 * Benchmark: one gateway probing N children every intervalS (half ICMP to 127.x.y.z addresses through
 * fping, half TCP connects to a loopback server), with the gateway in a process of its own so its CPU and
 * RSS can be read from /proc. The broker is a bare aedes on loopback (the hub's costs are measured
 * elsewhere); the gateway gets its config on its retained cmd topic exactly as from the hub.
 *
 *   npx tsx test/bench/gateway-probes.ts [--children 500] [--intervalS 60] [--cycles 4] [--concurrency 64]
 *
 * Mind `ulimit -n` (20000 here): every TCP probe holds a socket while it runs.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { deviceTopic, type Heartbeat, type ProbeConfigMessage } from '@commune-hub/protocol';
import { Aedes } from 'aedes';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '500' },
    intervalS: { type: 'string', default: '60' },
    cycles: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '64' },
  },
});
const children = Number(values.children);
const intervalS = Number(values.intervalS);
const cycles = Number(values.cycles);
const CLK_TCK = 100;
const PAGE = 4096;

function procStat(pid: number): { cpuS: number; childCpuS: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14) ... rss(21)
  const n = (i: number) => Number(fields[i]);
  return {
    cpuS: (n(11) + n(12)) / CLK_TCK,
    childCpuS: (n(13) + n(14)) / CLK_TCK,
    rssMiB: (n(21) * PAGE) / 1024 / 1024,
  };
}

async function main(): Promise<void> {
  const tcpServer = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => tcpServer.listen(0, '127.0.0.1', r));
  const tcpPort = (tcpServer.address() as net.AddressInfo).port;

  const aedes = await Aedes.createBroker();
  const broker = net.createServer(aedes.handle as (s: net.Socket) => void);
  await new Promise<void>((r) => broker.listen(0, '127.0.0.1', r));
  const mqttPort = (broker.address() as net.AddressInfo).port;

  const config: ProbeConfigMessage = {
    v: 1,
    type: 'probeConfig',
    gateway: 'bench-gw',
    rev: 1,
    issuedAt: Date.now(),
    children: Array.from({ length: children }, (_, i) =>
      i % 2 === 0
        ? {
            id: `bench-icmp-${i}`,
            kind: 'display' as const,
            // Every 127.0.0.0/8 address is loopback: 250 distinct targets, nothing leaves the machine.
            target: {
              type: 'icmp' as const,
              address: `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
              intervalS,
            },
          }
        : {
            id: `bench-tcp-${i}`,
            kind: 'display' as const,
            target: { type: 'tcp' as const, address: '127.0.0.1', port: tcpPort, intervalS },
          },
    ),
  };
  aedes.publish(
    {
      cmd: 'publish',
      topic: deviceTopic('bench-gw', 'cmd'),
      payload: Buffer.from(JSON.stringify(config)),
      qos: 1,
      retain: true,
      dup: false,
    },
    () => {},
  );

  const childHeartbeats = new Map<number, number>();
  const own: Heartbeat[] = [];
  let faults = 0;
  aedes.on('publish', (packet) => {
    const m = /^commune\/v1\/([^/]+)\/hb$/.exec(packet.topic);
    if (!m) return;
    const hb = JSON.parse(packet.payload.toString()) as Heartbeat;
    if (m[1] === 'bench-gw') own.push(hb);
    else {
      const minute = Math.floor(hb.ts / 1000 / intervalS);
      childHeartbeats.set(minute, (childHeartbeats.get(minute) ?? 0) + 1);
      if (hb.st !== 'ok') faults += 1;
    }
  });

  const gateway = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'agents/src/cli.ts',
      '--hub',
      `mqtt://127.0.0.1:${mqttPort}`,
      '--id',
      'bench-gw',
      '--secret',
      'x',
      '--kind',
      'gateway',
      '--interval',
      String(intervalS),
      '--probe-concurrency',
      String(values.concurrency),
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const pid = gateway.pid!;
  const started = Date.now();
  const samples: Array<{ atS: number; cpuS: number; childCpuS: number; rssMiB: number }> = [];
  const sampler = setInterval(() => {
    try {
      samples.push({ atS: (Date.now() - started) / 1000, ...procStat(pid) });
    } catch {}
  }, 1000);
  // Wait for `cycles` own heartbeats after the first full cycle (the gateway's interval = the probes').
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (own.filter((h) => Number(h.m.probeChildren) === children).length >= cycles + 1) {
        clearInterval(check);
        resolve();
      }
    }, 500);
  });
  clearInterval(sampler);
  gateway.kill('SIGTERM');
  await new Promise((r) => gateway.once('exit', r));

  const steady = samples.filter((s) => s.atS >= 10);
  const first = steady[0]!;
  const last = steady.at(-1)!;
  const wall = last.atS - first.atS;
  const cycleMs = own.map((h) => Number(h.m.probeCycleMs)).filter((n) => n > 0);
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      node: process.version,
      loadavg: os.loadavg(),
    },
    children,
    intervalS,
    concurrency: Number(values.concurrency),
    wallS: Math.round(wall),
    gatewayCpuPct: Math.round(((last.cpuS - first.cpuS) / wall) * 1000) / 10,
    fpingCpuPct: Math.round(((last.childCpuS - first.childCpuS) / wall) * 1000) / 10,
    rssMiB: {
      min: Math.round(Math.min(...steady.map((s) => s.rssMiB))),
      max: Math.round(Math.max(...steady.map((s) => s.rssMiB))),
    },
    cycleMs,
    heartbeatsPerInterval: [...childHeartbeats.values()],
    childFaults: faults,
  };
  console.log(JSON.stringify(result, null, 2));
  aedes.close();
  broker.close();
  tcpServer.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
