/**
 * Issue 14, finding 4: a storm of wrong-secret CONNECTs (500/s for 10 s, known device ids, from 250
 * loopback addresses) while real devices connect for the first time (their secret not yet verified, as
 * after a hub restart: each costs one scrypt). Measures the real devices' CONNACK latency, on the code
 * before the fix and after it, in one run:
 *
 *   npx tsx test/bench/auth-storm.ts [--before /work/main] [--after .] [--trace]
 *
 * `--trace` adds, per side, when the hub's loop stalled (with GC pauses, the load's milestones, real
 * devices' accepted connections and when mqtt-packet's number table was built), on the hub's clock.
 * The hub's loop delay and CPU figures count from the load's start (`go`), not from spawning its processes.
 *
 * Each side runs in a child process of its own (`--side DIR`), importing that checkout's hub/src, so the
 * code before the fix runs unmodified from its own directory; the load runs in a third process (`--load`). Not a test: nothing here asserts on time.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { connectPacket } from '../support/mqtt-packets.ts';
import { machine } from './machine.ts';
import { percentile, sleep } from './stats.ts';
import { startTreeHub } from './tree-hub.ts';

const STORM_PER_S = 500;
const STORM_S = 10;
const STORM_IDS = 20;
const REAL_DEVICES = 100;

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
    socket.on('connect', () => socket.write(connectPacket(id, id, secret)));
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
  p90: number;
  p99: number;
  max: number;
  /** Real devices whose CONNACK took longer than 100 ms (the bound on p99). */
  over100ms: number;
  stormSent: number;
  stormAnswered: number;
  /** The storm's answers by kind: refused with a CONNACK, closed without one, timed out. */
  stormRefused: number;
  /** Event-loop delay of the storm's process, ms. */
  loadLoopP99: number;
  loadLoopMax: number;
  /** Event-loop delay of the real devices' process (its lag inflates every CONNACK time it measures), ms. */
  probeLoopP99?: number;
  probeLoopMax?: number;
  /** Event-loop delay of the hub's process during the load, ms. */
  hubLoopP50?: number;
  hubLoopP99?: number;
  hubLoopMax?: number;
  /** CPU (user + system) the hub's process used during the load, ms, and per storm CONNECT sent. */
  hubCpuMs?: number;
  hubCpuMsPerStormConnect?: number;
  /** The same for the hub's main thread alone (its event loop; without the thread pool's scrypt). */
  hubMainCpuMs?: number;
  hubMainCpuMsPerStormConnect?: number;
  /** Real devices over 100 ms: when each started (ms after the storm began) and its CONNACK time. */
  slow?: Array<[number, number]>;
  /** Secrets the hub hashed during the load (scrypt calls), storm ids and real devices. */
  hashes?: { storm: number; real: number; stormWhen: number[] };
  /** 1-minute load average at the start and end of the load. */
  loadAvg?: [number, number];
  /**
   * When the hub's event loop stalled (`--trace`): [ms after the load processes were spawned, stall ms],
   * GC pauses over 5 ms [at, ms, kind], the load's milestones (spawned, ready, go) and each real device's
   * accepted connection, all on the hub's clock.
   */
  trace?: {
    stalls: Array<[number, number]>;
    gc: Array<[number, number, string]>;
    /** When mqtt-packet's number table was built: [at, ms of that tick's stall], or before the load. */
    packetTable: 'before the load' | [number, number] | 'not built';
    marks: Record<string, number>;
    opened: number[];
  };
}

/** CPU time (user + system) of this process's main thread alone, ms (Linux: /proc; scrypt runs on others). */
function mainThreadCpuMs(): number {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Event-loop delay histogram in ms (perf_hooks, 10 ms resolution). */
function loopDelay(): { reset(): void; stop(): { p50: number; p99: number; max: number } } {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return {
    reset: () => h.reset(),
    stop() {
      h.disable();
      return { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
    },
  };
}

/**
 * Where the hub's loop stalled and why (`--trace`): a 2 ms ticker records every gap over 30 ms with its
 * time, and a GC observer every pause over 5 ms, so a stall can be put next to the load's milestones and
 * the real devices' accepted connections (the histogram above only gives its size).
 */
function stallTracer(origin: number, dir: string) {
  const stalls: Array<[number, number]> = [];
  const gc: Array<[number, number, string]> = [];
  // mqtt-packet's table of 65,536 number Buffers, built on the first packet written (hub/src/broker/
  // packet-writer.ts): when it appears, the stall before that tick was building it.
  const fromAedes = createRequire(createRequire(path.join(dir, 'hub/package.json')).resolve('aedes'));
  const table = (fromAedes('mqtt-packet/numbers.js') as { cache: Record<number, Buffer> }).cache;
  let packetTable: 'before the load' | [number, number] | 'not built' = table[65_535]
    ? 'before the load'
    : 'not built';
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now - last > 30) stalls.push([Math.round(last - origin), Math.round(now - last)]);
    if (packetTable === 'not built' && table[65_535])
      packetTable = [Math.round(last - origin), Math.round(now - last)];
    last = now;
  }, 2);
  const kinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      if (e.duration > 5)
        gc.push([Math.round(e.startTime - origin), Math.round(e.duration), kinds[kind] ?? String(kind)]);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      clearInterval(ticker);
      obs.disconnect();
      return { stalls, gc, packetTable };
    },
  };
}

/** Profiles the hub's main thread during the load only (`--profile FILE`): boot and provisioning left out. */
async function profiler(file: string | undefined): Promise<{ stop(): Promise<void> }> {
  if (!file) return { stop: async () => {} };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function runSide(dir: string, profileFile?: string, trace = false): Promise<SideResult> {
  const { hub, dataDir } = await startTreeHub(dir, 'auth-storm');
  try {
    const create = (id: string) => hub.app.devices.create({ id, kind: 'wifi', name: id, village: 'Thôn 1' });
    for (let i = 0; i < STORM_IDS; i++) await create(`storm-${i}`);
    const real: Array<{ id: string; secret: string }> = [];
    for (let i = 0; i < REAL_DEVICES; i++)
      real.push({ id: `real-${i}`, secret: (await create(`real-${i}`)).secret });

    // The storm and the real devices run in a process of their own, so the generator's CPU is not taken
    // from the hub's event loop (on 2 cores: one for the hub, one for the load).
    const realsFile = path.join(dataDir, 'reals.json');
    fs.writeFileSync(realsFile, JSON.stringify(real));
    // Count the hub's scrypts (checkSecret is the only caller during the load), and when storm ones start.
    const hashes = { storm: 0, real: 0, stormWhen: [] as number[] };
    const registry = (
      hub.app as unknown as { registry?: { checkSecret(id: string, s: string): Promise<boolean> } }
    ).registry;
    const loadStarted = performance.now();
    if (registry) {
      const check = registry.checkSecret.bind(registry);
      registry.checkSecret = (id, secret) => {
        if (id.startsWith('storm-')) {
          hashes.storm++;
          hashes.stormWhen.push(Math.round(performance.now() - loadStarted));
        } else hashes.real++;
        return check(id, secret);
      };
    }
    const la0 = os.loadavg()[0]!;
    let cpu0 = process.cpuUsage();
    let main0 = mainThreadCpuMs();
    const delay = loopDelay();
    const prof = await profiler(profileFile);
    const origin = performance.now();
    const tracer = trace ? stallTracer(origin, dir) : undefined;
    const marks: Record<string, number> = {};
    const opened: number[] = [];
    const events = (
      hub.app as unknown as { events?: { on(e: string, f: (p: { deviceId: string }) => void): () => void } }
    ).events;
    const off = events?.on('connection.opened', ({ deviceId }) => {
      if (deviceId.startsWith('real-')) opened.push(Math.round(performance.now() - origin));
    });
    const load = await runLoad(hub.mqttPort, realsFile, (mark) => {
      marks[mark] = Math.round(performance.now() - origin);
      // The hub's figures count from the load's start: spawning the two load processes (a fork each, in
      // this process) held this loop 30–60 ms, which the loop-delay max used to report as the hub's.
      if (mark !== 'go') return;
      delay.reset();
      cpu0 = process.cpuUsage();
      main0 = mainThreadCpuMs();
    });
    off?.();
    const traced = tracer?.stop();
    // Where the profile ends on the trace's clock (a profile's sample times count from its own start).
    marks.profileEnd = Math.round(performance.now() - origin);
    await prof.stop();
    const hubLoop = delay.stop();
    const cpu = process.cpuUsage(cpu0);
    const hubCpuMs = (cpu.user + cpu.system) / 1000;
    const hubMainCpuMs = mainThreadCpuMs() - main0;
    return {
      code: dir,
      ...load,
      hashes,
      hubLoopP50: hubLoop.p50,
      hubLoopP99: hubLoop.p99,
      hubLoopMax: hubLoop.max,
      hubCpuMs,
      hubCpuMsPerStormConnect: hubCpuMs / Math.max(1, load.stormSent),
      hubMainCpuMs,
      hubMainCpuMsPerStormConnect: hubMainCpuMs / Math.max(1, load.stormSent),
      loadAvg: [la0, os.loadavg()[0]!],
      ...(traced && { trace: { ...traced, marks, opened } }),
    };
  } finally {
    await hub.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The load process: the storm of wrong secrets and the real devices' first CONNECTs against `port`. */
type LoadResult = Omit<SideResult, 'code'>;
type Role = 'storm' | 'real';

/**
 * One load process: the storm (`storm`) or the real devices (`real`). They run in two processes so the
 * storm generator's own event-loop lag (p99 25–36 ms, max up to 105 ms on a quiet machine when one process
 * did both) does not inflate the real devices' measured CONNACK times.
 */
async function load(
  port: number,
  real: Array<{ id: string; secret: string }>,
  role: Role,
): Promise<LoadResult> {
  const delay = loopDelay();
  let stormSent = 0;
  let stormAnswered = 0;
  let stormRefused = 0;
  const storm: Promise<unknown>[] = [];
  const stormStart = performance.now();
  const stormTimer = setInterval(() => {
    if (role !== 'storm') return;
    // 50 every 100 ms = 500/s, from 127.0.0.2 … 127.0.0.251.
    for (let k = 0; k < STORM_PER_S / 10; k++) {
      const n = stormSent++;
      storm.push(
        connack(port, `storm-${n % STORM_IDS}`, 'wrong-secret', `127.0.0.${2 + (n % 250)}`).then((ms) => {
          stormAnswered++;
          if (ms !== null) stormRefused++;
        }),
      );
    }
  }, 100);
  // Real devices: 10 per second during the storm, each one's first CONNECT.
  const latencies: number[] = [];
  const slow: Array<[number, number]> = [];
  let failed = 0;
  const reals: Promise<void>[] = [];
  await sleep(500);
  for (const d of role === 'real' ? real : []) {
    const at = Math.round(performance.now() - stormStart);
    reals.push(
      connack(port, d.id, d.secret).then((ms) => {
        if (ms === null) failed++;
        else latencies.push(ms);
        if (ms !== null && ms > 100) slow.push([at, Math.round(ms)]);
      }),
    );
    await sleep(((STORM_S - 1) * 1000) / REAL_DEVICES);
    if (performance.now() - stormStart > STORM_S * 1000) break;
  }
  while (performance.now() - stormStart < STORM_S * 1000) await sleep(50);
  clearInterval(stormTimer);
  await Promise.all(reals);
  await Promise.all(storm);
  const loadLoop = delay.stop();
  return {
    stormRefused,
    slow,
    loadLoopP99: loadLoop.p99,
    loadLoopMax: loadLoop.max,
    probeLoopP99: loadLoop.p99,
    probeLoopMax: loadLoop.max,
    realConnacks: latencies.length,
    realFailed: failed,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    over100ms: latencies.filter((ms) => ms > 100).length,
    max: Math.max(...latencies),
    stormSent,
    stormAnswered,
  };
}

/** One load process (`role`); resolves once it said it is ready, with a `go` to start it and its result. */
function loadProcess(port: number, realsFile: string, role: Role) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--load', String(port), '--reals', realsFile, '--role', role],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('ready\n')) onReady();
  });
  const result = new Promise<LoadResult>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`load process (${role}) exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadResult);
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), result };
}

/** Runs the storm and the real devices in two child processes, started together (this process is the hub's). */
async function runLoad(
  port: number,
  realsFile: string,
  mark: (name: string) => void = () => {},
): Promise<LoadResult> {
  const storm = loadProcess(port, realsFile, 'storm');
  const reals = loadProcess(port, realsFile, 'real');
  mark('spawned');
  await Promise.all([storm.ready, reals.ready]);
  mark('ready');
  storm.go();
  reals.go();
  mark('go');
  const [s, r] = await Promise.all([storm.result, reals.result]);
  return {
    ...r,
    stormSent: s.stormSent,
    stormAnswered: s.stormAnswered,
    stormRefused: s.stormRefused,
    loadLoopP99: s.loadLoopP99,
    loadLoopMax: s.loadLoopMax,
    probeLoopP99: r.loadLoopP99,
    probeLoopMax: r.loadLoopMax,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      side: { type: 'string' },
      before: { type: 'string', default: '/work/main' },
      after: { type: 'string', default: '.' },
      load: { type: 'string' },
      reals: { type: 'string' },
      role: { type: 'string', default: 'storm' },
      /** Run one side only (`after`), e.g. under --cpu-prof: `node --cpu-prof --import tsx … --side .`. */
      only: { type: 'string' },
      /** With --side: write a CPU profile of the hub's main thread during the load to this file. */
      profile: { type: 'string' },
      /** With --side: record when the hub's loop stalled and its GC pauses (SideResult.trace). */
      trace: { type: 'boolean', default: false },
    },
  });
  if (values.load) {
    const real = JSON.parse(fs.readFileSync(values.reals!, 'utf8')) as Array<{ id: string; secret: string }>;
    // Ready: wait for the parent's go, so the storm and the real devices start together.
    process.stdout.write('ready\n');
    await new Promise<void>((resolve) => {
      process.stdin.once('data', () => resolve());
      process.stdin.once('end', () => resolve());
    });
    const result = await load(Number(values.load), real, values.role as Role);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }
  if (values.side) {
    process.stdout.write(
      `${JSON.stringify(await runSide(path.resolve(values.side), values.profile, values.trace))}\n`,
    );
    process.exit(0);
  }
  const results: SideResult[] = [];
  const sides =
    values.only === 'after'
      ? [values.after]
      : values.only === 'before'
        ? [values.before]
        : [values.before, values.after];
  for (const dir of sides) {
    const args = [
      '--import',
      'tsx',
      import.meta.filename,
      '--side',
      dir,
      ...(values.trace ? ['--trace'] : []),
    ];
    const child = spawnSync(process.execPath, args, {
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
    `| ${label} | ${r.stormSent} | ${r.realConnacks}/${r.realConnacks + r.realFailed} | ${r.p50.toFixed(1)} | ${r.p90.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.over100ms} | ${r.hubCpuMsPerStormConnect?.toFixed(3)} / ${r.hubMainCpuMsPerStormConnect?.toFixed(3)} | ${r.hubLoopP99?.toFixed(1)} / ${r.hubLoopMax?.toFixed(1)} | ${r.loadLoopP99.toFixed(1)} / ${r.loadLoopMax.toFixed(1)} | ${r.probeLoopP99?.toFixed(1)} / ${r.probeLoopMax?.toFixed(1)} | ${r.loadAvg?.map((l) => l.toFixed(2)).join('–')} |`;
  console.log(
    '| code | wrong CONNECTs sent | real devices answered | CONNACK p50 ms | p90 ms | p99 ms | max ms | over 100 ms | hub CPU ms per storm CONNECT (process / main thread) | hub loop delay p99 / max ms | storm process loop delay p99 / max ms | real-device process loop delay p99 / max ms | load avg |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [i, r] of results.entries())
    console.log(row(sides[i] === values.before ? 'before' : 'after', r));
}

await main();
