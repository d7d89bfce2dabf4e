import { deviceTopic, publishOptions } from '@commune-hub/protocol';
import mqtt from 'mqtt';
import { SimError } from '../errors.ts';
import { activeFaults, bootTimes, buildHeartbeat, firstSlotFrom, slotTime } from '../heartbeat.ts';
import { createLogger, type Logger } from '../logger.ts';
import { rngFor } from '../prng.ts';
import { limitDevices, type Scenario } from '../scenario/load.ts';
import { type CredentialOptions, resolveCredentials } from '../setup.ts';
import { buildPlan, type DevicePlan, type Plan } from '../timeline/generate.ts';
import { TruthRecorder } from '../truth/recorder.ts';
import type { Truth } from '../truth/types.ts';

export interface BackfillOptions extends CredentialOptions {
  scenario: Scenario;
  mqttUrl: string;
  /** CA (PEM) of the hub's certificate, for mqtts:// with a commune's own CA. */
  ca?: Buffer;
  /** One client certificate and key (PEM) shared by every simulated device, for a hub with HUB_TLS_CA. */
  cert?: Buffer;
  key?: Buffer;
  /** Start (inclusive) and end (exclusive) of the history, epoch ms or ISO. */
  from: number | string;
  to: number | string;
  limit?: number;
  /**
   * Only these devices. The plan is built for the whole scenario first, so their histories (outages,
   * seeded selections such as clock drift, power cuts) are exactly those of a full run.
   */
  ids?: readonly string[];
  /** false: no failure model (every heartbeat of the range is sent). Default true. */
  failures?: boolean;
  /** Devices delivering at once, each on its own connection (default 50). */
  concurrency?: number;
  /** Unacknowledged QoS 1 publishes per connection (default 200). */
  window?: number;
  /**
   * Publishes per second per connection (default 450): the hub throttles each client (HUB_MQTT_RATE_PER_S,
   * 500 by default) and rejects the excess, so a backfill faster than that would lose history.
   */
  ratePerDevice?: number;
  onProgress?: (p: BackfillProgress) => void;
  logger?: Logger;
}

export interface BackfillProgress {
  devices: number;
  devicesDone: number;
  heartbeats: number;
  /** Heartbeats the plan will send in total (approximate until the end). */
  expected: number;
  elapsedMs: number;
  msgsPerS: number;
}

export interface BackfillSummary extends BackfillProgress {
  truth: Truth;
}

function toMs(v: number | string, what: string): number {
  const ms = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new SimError('SIM_ERR_USAGE', `${what} is not a valid time: ${String(v)}`);
  return ms;
}

/** Roughly how many heartbeats a device sends over its up segments. */
function expectedBeats(p: DevicePlan): number {
  return Math.round(
    p.segments.reduce((n, s) => n + (s.state === 'up' ? (s.to - s.from) / p.intervalMs : 0), 0),
  );
}

function onlyDevices(plan: Plan, ids: readonly string[] | undefined, scenarioName: string): Plan {
  if (!ids) return plan;
  const known = new Set(plan.devices.map((p) => p.device.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new SimError(
      'SIM_ERR_USAGE',
      `no device ${unknown.map((id) => `"${id}"`).join(', ')} in scenario ${scenarioName}`,
    );
  const wanted = new Set(ids);
  return { ...plan, devices: plan.devices.filter((p) => wanted.has(p.device.id)) };
}

/**
 * Generates the history of [from, to) and delivers it as buffered heartbeats with their original
 * timestamps. Each device connects, sends its heartbeats newest first — so the first one is the newest
 * the hub has from it and every later one is "late" history that does not move live state — and
 * disconnects cleanly. Heartbeats of a device that is down in the plan are not sent.
 * Do not backfill devices that are live at the same time: the same client id would take over the session.
 */
export async function runBackfill(opts: BackfillOptions): Promise<BackfillSummary> {
  const logger = (opts.logger ?? createLogger()).child({ module: 'backfill' });
  const from = toMs(opts.from, 'from');
  const to = toMs(opts.to, 'to');
  if (to <= from)
    throw new SimError('SIM_ERR_USAGE', `backfill needs from < to (got ${opts.from} .. ${opts.to})`);
  const scenario = limitDevices(opts.scenario, opts.limit);
  const plan = onlyDevices(
    buildPlan(scenario, {
      from,
      to,
      ...(opts.failures !== undefined && { failures: opts.failures }),
    }),
    opts.ids,
    scenario.name,
  );
  const creds = await resolveCredentials(plan.devices, [], opts, logger);
  const recorder = new TruthRecorder({
    scenario: scenario.name,
    commune: scenario.commune,
    seed: scenario.seed,
    mode: 'backfill',
    from,
    speed: 1,
  });
  for (const c of plan.powerCuts) recorder.powerCut(c.villageId, c.from, c.to);

  const started = Date.now();
  const progress: BackfillProgress = {
    devices: plan.devices.length,
    devicesDone: 0,
    heartbeats: 0,
    expected: plan.devices.reduce((n, p) => n + expectedBeats(p), 0),
    elapsedMs: 0,
    msgsPerS: 0,
  };
  const snapshot = (): BackfillProgress => {
    const elapsedMs = Date.now() - started;
    return {
      ...progress,
      elapsedMs,
      msgsPerS: Math.round((progress.heartbeats * 1000) / Math.max(1, elapsedMs)),
    };
  };
  const reporter = opts.onProgress ? setInterval(() => opts.onProgress!(snapshot()), 250) : null;
  const window = Math.max(1, opts.window ?? 200);
  const rate = opts.ratePerDevice ?? 450;

  const deliver = async (p: DevicePlan) => {
    const id = p.device.id;
    recorder.addDevice(p);
    for (const s of p.segments) recorder.state(id, s.from, s.state, s.cause);
    for (const f of p.faults) recorder.fault(id, f);
    const password = creds?.get(id);
    const client = await mqtt
      .connectAsync(opts.mqttUrl, {
        clientId: id,
        username: id,
        ...(password !== undefined && { password }),
        ...(opts.ca && { ca: opts.ca }),
        ...(opts.cert && opts.key && { cert: opts.cert, key: opts.key }),
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: 30_000,
      })
      .catch((err: Error) => {
        throw new SimError('SIM_ERR_MQTT', `device ${id} cannot connect to ${opts.mqttUrl}: ${err.message}`, {
          cause: err,
        });
      });
    // Mutated from publish callbacks; an object keeps TypeScript from narrowing them to their initial value.
    const io: { inFlight: number; failure: Error | null; wake: (() => void) | null } = {
      inFlight: 0,
      failure: null,
      wake: null,
    };
    client.on('close', () => {
      // QoS 1 callbacks never fire on a dead socket: fail the device instead of waiting forever.
      io.failure ??= new Error('connection closed by the broker');
      io.wake?.();
    });
    const boots = bootTimes(p, from);
    const startedAt = Date.now();
    let sent = 0;
    const acked: number[] = [];
    const topic = deviceTopic(id, 'hb');
    let seg = p.segments.length - 1;
    // Newest first: walk the slots backwards, and the segments with them.
    for (let k = firstSlotFrom(p, to) + 1, kMin = firstSlotFrom(p, from) - 1; k >= kMin; k--) {
      const t = slotTime(p, scenario.seed, k);
      if (t < from || t >= to) continue;
      while (seg > 0 && p.segments[seg]!.from > t) seg--;
      if (p.segments[seg]!.state !== 'up') continue;
      const hb = buildHeartbeat({
        plan: p,
        planFrom: from,
        t,
        seq: k,
        upSince: boots[seg]!,
        speed: 1,
        utcOffsetH: scenario.utcOffsetH,
        rng: rngFor(scenario.seed, 'metrics', id, String(k)),
        active: activeFaults(p.faults, t),
      });
      // Pace to the hub's per-client budget: sleep whenever we are ahead of `rate`.
      const ahead = (sent++ * 1000) / rate - (Date.now() - startedAt);
      if (ahead > 20) await new Promise((r) => setTimeout(r, ahead));
      while (io.inFlight >= window && !io.failure) await new Promise<void>((r) => (io.wake = r));
      if (io.failure) break;
      io.inFlight++;
      client.publish(topic, JSON.stringify(hb), publishOptions('hb'), (err) => {
        io.inFlight--;
        if (err) io.failure ??= err;
        else {
          acked.push(hb.ts);
          progress.heartbeats++;
        }
        io.wake?.();
        io.wake = null;
      });
    }
    while (io.inFlight > 0 && !io.failure) await new Promise<void>((r) => (io.wake = r));
    const failure = io.failure;
    await client.endAsync().catch(() => undefined);
    if (failure) throw new SimError('SIM_ERR_MQTT', `device ${id}: publish failed: ${failure.message}`);
    acked.sort((a, b) => a - b);
    for (const ts of acked) recorder.heartbeat(id, ts);
    progress.devicesDone++;
  };

  const queue = [...plan.devices];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) await deliver(p);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 50) }, worker));
  } finally {
    if (reporter) clearInterval(reporter);
  }
  const summary = snapshot();
  summary.expected = summary.heartbeats;
  logger.info(
    { devices: summary.devices, heartbeats: summary.heartbeats, msgsPerS: summary.msgsPerS },
    'backfill done',
  );
  return { ...summary, truth: recorder.finish(to) };
}
