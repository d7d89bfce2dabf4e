/**
 * Issue 14, finding 4: a storm of wrong-secret CONNECTs (500/s for 10 s, known device ids, from 250
 * loopback addresses) while real devices connect for the first time (their secret not yet verified, as
 * after a hub restart: each costs one scrypt). Measures the real devices' CONNACK latency, on the code
 * before the fix and after it, in one run:
 *
 *   npx tsx test/bench/auth-storm.ts [--before /work/main] [--after .]
 *
 * Each side runs in a child process of its own (`--side DIR`), importing that checkout's hub/src, so the
 * code before the fix runs unmodified from its own directory. Not a test: nothing here asserts on time.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machine } from './machine.ts';
import { percentile, sleep } from './stats.ts';

const STORM_PER_S = 500;
const STORM_S = 10;
const STORM_IDS = 20;
const REAL_DEVICES = 100;

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}

/** MQTT 3.1.1 CONNECT with username = client id and a password. */
function connectPacket(id: string, secret: string): Buffer {
  const body = Buffer.concat([str('MQTT'), Buffer.from([4, 0xc2, 0, 60]), str(id), str(id), str(secret)]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

/** Opens a connection, sends CONNECT, resolves with the ms until CONNACK (or null when closed without one). */
function connack(port: number, id: string, secret: string, localAddress?: string): Promise<number | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ port, host: '127.0.0.1', ...(localAddress && { localAddress }) });
    let done = false;
    const finish = (v: number | null) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(30_000, () => finish(null));
    socket.on('connect', () => socket.write(connectPacket(id, secret)));
    socket.on('data', (d) => {
      if (d[0] === 0x20) finish(performance.now() - started);
    });
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}

interface SideResult {
  code: string;
  realConnacks: number;
  realFailed: number;
  p50: number;
  p99: number;
  max: number;
  stormSent: number;
  stormAnswered: number;
}

async function runSide(dir: string): Promise<SideResult> {
  const { startHub } = (await import(pathToFileURL(path.join(dir, 'hub/src/index.ts')).href)) as {
    startHub: (o: Record<string, unknown>) => Promise<{
      app: {
        devices: { create(d: unknown): Promise<{ secret: string }> };
      };
      mqttPort: number;
      close(): Promise<void>;
    }>;
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-storm-'));
  const hub = await startHub({
    dataDir,
    httpHost: '127.0.0.1',
    httpPort: 0,
    mqttHost: '127.0.0.1',
    mqttPort: 0,
    adminToken: 'auth-storm-bench-token-0123',
    logLevel: 'silent',
  });
  try {
    const create = (id: string) => hub.app.devices.create({ id, kind: 'wifi', name: id, village: 'Thôn 1' });
    for (let i = 0; i < STORM_IDS; i++) await create(`storm-${i}`);
    const real: Array<{ id: string; secret: string }> = [];
    for (let i = 0; i < REAL_DEVICES; i++)
      real.push({ id: `real-${i}`, secret: (await create(`real-${i}`)).secret });

    let stormSent = 0;
    let stormAnswered = 0;
    const storm: Promise<unknown>[] = [];
    const stormStart = performance.now();
    const stormTimer = setInterval(() => {
      // 50 every 100 ms = 500/s, from 127.0.0.2 … 127.0.0.251.
      for (let k = 0; k < STORM_PER_S / 10; k++) {
        const n = stormSent++;
        storm.push(
          connack(hub.mqttPort, `storm-${n % STORM_IDS}`, 'wrong-secret', `127.0.0.${2 + (n % 250)}`).then(
            () => {
              stormAnswered++;
            },
          ),
        );
      }
    }, 100);
    // Real devices: 10 per second during the storm, each one's first CONNECT.
    const latencies: number[] = [];
    let failed = 0;
    const reals: Promise<void>[] = [];
    await sleep(500);
    for (const d of real) {
      reals.push(
        connack(hub.mqttPort, d.id, d.secret).then((ms) => {
          if (ms === null) failed++;
          else latencies.push(ms);
        }),
      );
      await sleep(((STORM_S - 1) * 1000) / REAL_DEVICES);
      if (performance.now() - stormStart > STORM_S * 1000) break;
    }
    while (performance.now() - stormStart < STORM_S * 1000) await sleep(50);
    clearInterval(stormTimer);
    await Promise.all(reals);
    await Promise.all(storm);
    return {
      code: dir,
      realConnacks: latencies.length,
      realFailed: failed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      stormSent,
      stormAnswered,
    };
  } finally {
    await hub.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      side: { type: 'string' },
      before: { type: 'string', default: '/work/main' },
      after: { type: 'string', default: '.' },
    },
  });
  if (values.side) {
    process.stdout.write(`${JSON.stringify(await runSide(path.resolve(values.side)))}\n`);
    process.exit(0);
  }
  const results: SideResult[] = [];
  for (const dir of [values.before, values.after]) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--side', dir], {
      encoding: 'utf8',
      cwd: path.resolve(dir),
      maxBuffer: 1 << 24,
    });
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    if (child.status !== 0) throw new Error(`side ${dir} failed: ${child.stderr}`);
    results.push(JSON.parse(line) as SideResult);
  }
  const m = await machine();
  console.log(JSON.stringify({ date: new Date().toISOString(), machine: m, results }, null, 2));
  const row = (label: string, r: SideResult) =>
    `| ${label} | ${r.stormSent} | ${r.realConnacks}/${r.realConnacks + r.realFailed} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} |`;
  console.log('| code | wrong CONNECTs sent | real devices answered | CONNACK p50 ms | p99 ms | max ms |');
  console.log('|---|---|---|---|---|---|');
  console.log(row('before (main)', results[0]!));
  console.log(row('after (sec)', results[1]!));
}

await main();
