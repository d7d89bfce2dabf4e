import { SimError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { Credentials } from '../provision.ts';
import { limitDevices, type Scenario } from '../scenario/load.ts';
import { type Clock, realClock, Scheduler } from '../scheduler.ts';
import { type CredentialOptions, resolveCredentials } from '../setup.ts';
import { buildPlan } from '../timeline/generate.ts';
import { TruthRecorder } from '../truth/recorder.ts';
import type { Truth } from '../truth/types.ts';
import { BadActorRunner } from './bad-actors.ts';
import { LiveDevice } from './device.ts';

export interface LiveOptions extends CredentialOptions {
  scenario: Scenario;
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  mqttUrl: string;
  /** CA (PEM) of the hub's certificate, for mqtts:// with a commune's own CA. */
  ca?: Buffer;
  /** One client certificate and key (PEM) shared by every simulated device, for a hub with HUB_TLS_CA. */
  cert?: Buffer;
  key?: Buffer;
  /** Only the first N devices of the scenario. */
  limit?: number;
  /** Time acceleration for intervals and failure models (default 1 = real time). */
  speed?: number;
  /** false: no scheduled failures (everyone stays up unless killed/silenced/power-cut by hand). Default true. */
  failures?: boolean;
  /** Include the scenario's bad actors (default false). */
  badActors?: boolean;
  /** New connections per second during ramp-up (default 200). */
  connectsPerSecond?: number;
  /** How far ahead the failure plan reaches, in ms of real time (default 7 days). */
  horizonMs?: number;
  /** MQTT keepalive in seconds (default 60). */
  keepaliveS?: number;
  /** Resolve only when every device is settled (first heartbeat acknowledged, or meant to be down). Default true. */
  waitReady?: boolean;
  onProgress?: (p: LiveProgress) => void;
  logger?: Logger;
  clock?: Clock;
}

export interface LiveProgress {
  total: number;
  settled: number;
  connected: number;
  heartbeats: number;
  connects: number;
  errors: number;
  rssMB: number;
}

export interface LiveHandle {
  /** Ids of the simulated devices (bad actors excluded). */
  devices: string[];
  credentials: Credentials | null;
  /** Resolves when every device has sent its first heartbeat (or is meant to be down). */
  ready: Promise<void>;
  /** Abrupt socket destroy: the broker fires the last will. The device stays down until revive(). */
  kill(id: string): void;
  /** Stops heartbeats but keeps the connection: the hub must notice by timeout. */
  silence(id: string): void;
  /** Undoes kill/silence: the device reconnects and beats again. */
  revive(id: string): void;
  /** Mains power cut in a village (by village id): every device there goes down together (loudspeakers after `batteryS`, default 0). */
  powerCut(villageId: string, opts?: { batteryS?: number }): string[];
  powerRestore(villageId: string): string[];
  progress(): LiveProgress;
  /** Says `offline` for every device, disconnects everything, and returns the ground truth. */
  stop(): Promise<Truth>;
}

const DAY = 86_400_000;

/** Runs a scenario live: every device its own MQTT connection, real time (optionally accelerated). */
export async function runLive(opts: LiveOptions): Promise<LiveHandle> {
  const logger = (opts.logger ?? createLogger()).child({ module: 'live' });
  const scenario = limitDevices(opts.scenario, opts.limit);
  const clock = opts.clock ?? realClock;
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new SimError('SIM_ERR_USAGE', `speed must be > 0, got ${speed}`);
  const from = clock.now();
  const to = from + (opts.horizonMs ?? 7 * DAY);
  const plan = buildPlan(scenario, {
    from,
    to,
    speed,
    ...(opts.failures !== undefined && { failures: opts.failures }),
  });
  const badActors = opts.badActors ? scenario.badActors : [];
  const creds = await resolveCredentials(
    plan.devices,
    badActors.map((b) => ({ id: b.id, kind: b.kind, name: b.name, village: b.village, intervalS: 30 })),
    opts,
    logger,
  );

  const scheduler = new Scheduler(clock);
  const recorder = new TruthRecorder({
    scenario: scenario.name,
    commune: scenario.commune,
    seed: scenario.seed,
    mode: 'live',
    from,
    speed,
  });
  const stats = { connected: 0, heartbeats: 0, connects: 0, errors: 0 };
  let settled = 0;
  let stopping = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const devices = plan.devices.map((p) => {
    recorder.addDevice(p);
    return new LiveDevice(p, {
      scheduler,
      recorder,
      mqttUrl: opts.mqttUrl,
      ...(opts.ca && { ca: opts.ca }),
      ...(opts.cert && opts.key && { cert: opts.cert, key: opts.key }),
      password: (id) => creds?.get(id),
      seed: scenario.seed,
      planFrom: from,
      planTo: to,
      speed,
      utcOffsetH: scenario.utcOffsetH,
      keepaliveS: opts.keepaliveS ?? 60,
      logger,
      stats,
      settled: () => {
        if (++settled === plan.devices.length) markReady();
      },
      stopping: () => stopping,
    });
  });
  if (devices.length === 0) markReady();
  const byId = new Map(devices.map((d) => [d.id, d]));
  const get = (id: string) => {
    const d = byId.get(id);
    if (!d) throw new SimError('SIM_ERR_USAGE', `no simulated device "${id}"`);
    return d;
  };
  const inVillage = (villageId: string) => {
    const list = devices.filter((d) => d.villageId === villageId);
    if (list.length === 0)
      throw new SimError('SIM_ERR_USAGE', `no simulated device in village "${villageId}"`);
    return list;
  };

  // Ramp-up: spread the first connections so thousands of devices do not hit the broker at once.
  const rate = opts.connectsPerSecond ?? 200;
  for (const [i, d] of devices.entries()) d.start(from + (i * 1000) / rate);
  const bad = new BadActorRunner(badActors, scenario, {
    mqttUrl: opts.mqttUrl,
    password: (id) => creds?.get(id),
    scheduler,
    logger,
    speed,
  });
  scheduler.start();
  bad.start();

  const progress = (): LiveProgress => ({
    total: devices.length,
    settled,
    connected: stats.connected,
    heartbeats: stats.heartbeats,
    connects: stats.connects,
    errors: stats.errors,
    rssMB: Math.round(process.memoryUsage().rss / 1e6),
  });
  const reporter = opts.onProgress ? setInterval(() => opts.onProgress!(progress()), 1000) : null;
  reporter?.unref();
  const powerCuts = new Map<string, number>();

  const handle: LiveHandle = {
    devices: devices.map((d) => d.id),
    credentials: creds,
    ready,
    kill: (id) => get(id).kill(),
    silence: (id) => get(id).silence(),
    revive: (id) => get(id).revive(),
    powerCut: (villageId, o) => {
      const list = inVillage(villageId);
      powerCuts.set(villageId, clock.now());
      for (const d of list) d.powerCut(((o?.batteryS ?? 0) * 1000) / speed);
      return list.map((d) => d.id);
    },
    powerRestore: (villageId) => {
      const list = inVillage(villageId);
      const since = powerCuts.get(villageId);
      if (since !== undefined) recorder.powerCut(villageId, since, clock.now());
      powerCuts.delete(villageId);
      for (const d of list) d.powerRestore();
      return list.map((d) => d.id);
    },
    progress,
    stop: async () => {
      if (stopping) throw new SimError('SIM_ERR_USAGE', 'live run already stopped');
      stopping = true;
      if (reporter) clearInterval(reporter);
      scheduler.stop();
      await bad.stop();
      const now = clock.now();
      for (const [villageId, since] of powerCuts) recorder.powerCut(villageId, since, now);
      // Disconnect in batches: thousands of simultaneous DISCONNECTs are as rude as a stampede.
      for (let i = 0; i < devices.length; i += 500) {
        await Promise.all(devices.slice(i, i + 500).map((d) => d.stop()));
      }
      for (const d of devices) recorder.cut(d.id, now);
      logger.info({ devices: devices.length, heartbeats: stats.heartbeats }, 'live run stopped');
      return recorder.finish(now);
    },
  };
  if (opts.waitReady !== false) await ready;
  return handle;
}
