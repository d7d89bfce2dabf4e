/**
 * Alerting benchmark (issue 11): rule evaluation cost per heartbeat with 50 rules and 10,000 devices,
 * and the hub's ingest rate with and without alerting in the same run (rounds alternate off/on).
 *
 *   npx tsx test/bench/alerts-bench.ts [--seconds 10] [--rounds 2]
 *
 * Part 1 drives the pure engine in-process (what a heartbeat costs alerting: the liveness.changed and
 * heartbeat.accepted listeners, plus one tick over every device). Part 2 runs the real hub: 10,000
 * registered devices behind 20 gateways (a gateway may publish for its registered children), each gateway
 * one MQTT connection publishing QoS 1 heartbeats for its 500 children as fast as PUBACKs come back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureFirstAdmin, type StartedHub, startHub } from '@commune-hub/hub';
import type { AlertRule, AlertRuleInput, DeviceKind } from '@commune-hub/protocol';
import mqtt from 'mqtt';
import { AlertEngine } from '../../hub/src/alerts/engine.ts';
import type { AlertSink, DeviceInfo } from '../../hub/src/alerts/model.ts';
import { newCredentials } from '../../hub/src/registry/secrets.ts';

/** The bench's admin token is the first admin's personal API token (HUB_ADMIN_TOKEN only creates that admin). */
async function withBenchAdmin(hub: StartedHub): Promise<StartedHub> {
  await ensureFirstAdmin(hub.app, {
    username: 'bench',
    password: 'bench-admin-password',
    token: hub.adminToken,
  });
  return hub;
}

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 10);
const ROUNDS = arg('rounds', 2);
const DEVICES = 10_000;
const VILLAGES = 200;
const GATEWAYS = 20;
const KINDS: DeviceKind[] = ['wifi', 'camera', 'loudspeaker', 'pc', 'kiosk'];

function fleet(): DeviceInfo[] {
  return Array.from({ length: DEVICES }, (_, i) => ({
    id: `b-${i}`,
    kind: KINDS[i % KINDS.length] as DeviceKind,
    name: `Thiết bị ${i}`,
    village: `Thôn ${i % VILLAGES}`,
    villageId: `thon-${i % VILLAGES}`,
    communeId: `xa-${i % 10}`,
    parentId: `gw-${i % GATEWAYS}`,
    tags: i % 7 === 0 ? ['quan-trong'] : [],
  }));
}

/** 50 rules of every kind the engine evaluates per heartbeat or per tick. */
function ruleInputs(villageIds: string[]): AlertRuleInput[] {
  const rules: AlertRuleInput[] = [];
  const notify = { channelIds: [] };
  for (let i = 0; i < 10; i++)
    rules.push({
      name: `offline kind ${i}`,
      scope: { kinds: [KINDS[i % 5] as DeviceKind] },
      condition: { kind: 'offline_for', forMin: 5 + i },
      notify,
    });
  for (let i = 0; i < 10; i++)
    rules.push({
      name: `offline villages ${i}`,
      scope: { villageIds: villageIds.slice(i * 5, i * 5 + 5) },
      condition: { kind: 'offline_for', forMin: 10 },
      notify,
    });
  const thresholds = [
    ['wifi', 'uplinkLossPct', '>', 20],
    ['camera', 'storageFreePct', '<', 10],
    ['loudspeaker', 'temperature', '>', 70],
    ['loudspeaker', 'battery', '<', 20],
    ['pc', 'cpuPct', '>', 95],
  ] as const;
  for (let i = 0; i < 10; i++) {
    const [kind, metric, op, value] = thresholds[i % 5] ?? thresholds[0];
    rules.push({
      name: `threshold ${i}`,
      scope: { kinds: [kind] },
      condition: { kind: 'metric_threshold', metric, op, value, forMin: 30 },
      notify,
    });
  }
  for (let i = 0; i < 10; i++)
    rules.push({
      name: `fault ${i}`,
      scope: i % 2 ? { tags: ['quan-trong'] } : {},
      condition: { kind: 'device_fault', faults: ['amplifier_fault', 'disk_full'] },
      notify,
    });
  for (let i = 0; i < 5; i++)
    rules.push({
      name: `degraded ${i}`,
      scope: { kinds: [KINDS[i] as DeviceKind] },
      condition: { kind: 'degraded_for', forMin: 15 },
      notify,
    });
  for (let i = 0; i < 5; i++)
    rules.push({
      name: `flapping ${i}`,
      scope: { kinds: [KINDS[i] as DeviceKind] },
      condition: { kind: 'flapping', transitions: 5, withinMin: 30 },
      notify,
    });
  return rules;
}

function metricsFor(kind: DeviceKind, n: number): Record<string, number | string> {
  switch (kind) {
    case 'wifi':
      return { clients: n % 30, uplinkLossPct: n % 10, uplinkLatencyMs: 20 };
    case 'camera':
      return { storageFreePct: 40 + (n % 50), fps: 25 };
    case 'loudspeaker':
      return { temperature: 40, battery: 90, powerSource: 'mains' };
    default:
      return { cpuPct: n % 80, memPct: 50 };
  }
}

function engineBench() {
  const devices = fleet();
  const byId = new Map(devices.map((d) => [d.id, d]));
  const byVillage = new Map<string, DeviceInfo[]>();
  for (const d of devices) byVillage.set(d.villageId, [...(byVillage.get(d.villageId) ?? []), d]);
  const sink: AlertSink = { changed: () => {}, discarded: () => {}, history: () => {}, notify: () => {} };
  let n = 0;
  const engine = new AlertEngine(
    { device: (id) => byId.get(id), villageDevices: (v) => byVillage.get(v) ?? [], children: () => [] },
    sink,
    () => null,
    () => `a${n++}`,
    { windowMs: 120_000, minDevices: 3, minFraction: 0.6 },
  );
  const now = Date.parse('2026-12-01T02:00:00Z');
  const rules: AlertRule[] = ruleInputs([...byVillage.keys()]).map((r, i) => ({
    ...r,
    id: `r${i}`,
    enabled: true,
    severity: 'warning',
    scheduleId: null,
    outsideSchedule: 'record',
    createdAt: '',
    updatedAt: '',
  }));
  engine.setRules(rules);
  for (const d of devices) engine.onStatus(d.id, 'online', now, false);
  const perDevice = devices.map((d) => engine.rulesFor(d.id).length);
  const beats = 1_000_000;
  const metrics = devices.map((d, i) => metricsFor(d.kind, i));
  // Warm-up, then measure what ingest's listeners do per live heartbeat.
  for (let i = 0; i < 100_000; i++) {
    const d = devices[i % DEVICES] as DeviceInfo;
    engine.onStatus(d.id, 'online', now, false);
    engine.onHeartbeat(d.id, now + i, metrics[i % DEVICES] ?? {}, []);
  }
  const t0 = performance.now();
  for (let i = 0; i < beats; i++) {
    const d = devices[i % DEVICES] as DeviceInfo;
    engine.onStatus(d.id, 'online', now, false);
    engine.onHeartbeat(d.id, now + i, metrics[i % DEVICES] ?? {}, i % 1000 === 0 ? ['disk_full'] : []);
  }
  const perBeatNs = ((performance.now() - t0) * 1e6) / beats;
  const ticks: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    engine.tick(now + 1_000_000 + i * 1000);
    ticks.push(performance.now() - t);
  }
  // A village power cut (50 devices down) evaluated by the tick.
  for (const d of byVillage.get('thon-7') ?? [])
    engine.onStatus(d.id, 'offline', now + 2_000_000, false, now + 2_000_000);
  const cutTicks: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    engine.tick(now + 2_000_000 + i * 60_000);
    cutTicks.push(performance.now() - t);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return {
    rules: rules.length,
    devices: DEVICES,
    rulesPerDeviceAvg: perDevice.reduce((a, b) => a + b, 0) / DEVICES,
    perBeatNs,
    tickMsMedian: med(ticks),
    tickDuringCutMsMedian: med(cutTicks),
    openAlerts: engine.openAlerts().length,
  };
}

async function ingestRound(
  alerting: boolean,
): Promise<{ alerting: boolean; msgsPerS: number; accepted: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'alerts-bench-'));
  const hub: StartedHub = await withBenchAdmin(
    await startHub({
      dataDir,
      httpHost: '127.0.0.1',
      mqttHost: '127.0.0.1',
      httpPort: 0,
      mqttPort: 0,
      adminToken: 'bench-admin-token-0123456789',
      logLevel: 'silent',
      alertsEnabled: alerting,
      mqttRatePerS: 1_000_000,
      mqttRateBurst: 1_000_000,
    }),
  );
  try {
    const { registry } = hub.app;
    const now = Date.now();
    const shared = await newCredentials();
    const gwSecrets = new Map<string, string>();
    for (let g = 0; g < GATEWAYS; g++) {
      const creds = await newCredentials();
      registry.create(
        { id: `gw-${g}`, kind: 'gateway', name: `Gateway ${g}`, village: `Thôn ${g}` },
        now,
        creds,
      );
      gwSecrets.set(`gw-${g}`, creds.secret);
    }
    for (const d of fleet()) {
      registry.create(
        {
          id: d.id,
          kind: d.kind,
          name: d.name,
          village: d.village,
          parent: d.parentId ?? undefined,
          tags: d.tags,
        },
        now,
        shared,
      );
    }
    // Straight into the registry with one shared hash (10,000 scrypt hashes would take minutes), so say
    // what DeviceService says after its write: liveness and alerts learn the devices from device.created.
    for (const device of registry.list()) hub.app.events.emit('device.created', { device, at: now });
    const villageIds = registry.places.listVillages().map((v) => v.id);
    for (const r of ruleInputs(villageIds)) hub.app.alerts.saveRule(r);

    const clients = await Promise.all(
      [...gwSecrets].map(
        ([id, secret]) =>
          new Promise<mqtt.MqttClient>((resolve, reject) => {
            const c = mqtt.connect(hub.mqttUrl, {
              clientId: id,
              username: id,
              password: secret,
              reconnectPeriod: 0,
            });
            c.once('connect', () => resolve(c));
            c.once('error', reject);
          }),
      ),
    );
    const devices = fleet();
    const seqs = new Map<string, number>();
    const accepted = () => {
      const m = hub.app.metrics.ingestAccepted as unknown as { hashMap: Record<string, { value: number }> };
      return Object.values(m.hashMap).reduce((a, b) => a + b.value, 0);
    };
    let stop = false;
    const pump = async (g: number, lane: number) => {
      const c = clients[g] as mqtt.MqttClient;
      const mine = devices.filter((d, i) => i % GATEWAYS === g && Math.floor(i / GATEWAYS) % 8 === lane);
      for (let i = 0; !stop; i++) {
        const d = mine[i % mine.length] as DeviceInfo;
        const seq = (seqs.get(d.id) ?? 0) + 1;
        seqs.set(d.id, seq);
        const hb = { v: 1, ts: Date.now(), seq, up: seq, st: 'ok', m: metricsFor(d.kind, i) };
        await c.publishAsync(`commune/v1/${d.id}/hb`, JSON.stringify(hb), { qos: 1 });
      }
    };
    // Warm-up 2 s, then measure.
    const lanes = clients.flatMap((_, g) => Array.from({ length: 8 }, (_, l) => pump(g, l)));
    await new Promise((r) => setTimeout(r, 2000));
    const a0 = accepted();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const a1 = accepted();
    const dt = (performance.now() - t0) / 1000;
    stop = true;
    await Promise.allSettled(lanes);
    for (const c of clients) c.end(true);
    return { alerting, msgsPerS: (a1 - a0) / dt, accepted: a1 - a0 };
  } finally {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const engine = engineBench();
console.error('engine', engine);
const rounds: Array<{ alerting: boolean; msgsPerS: number; accepted: number }> = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const alerting of [false, true]) {
    const res = await ingestRound(alerting);
    console.error('ingest', res);
    rounds.push(res);
  }
}
const avg = (on: boolean) => {
  const xs = rounds.filter((r) => r.alerting === on).map((r) => r.msgsPerS);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
};
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        node: process.version,
        loadavg: os.loadavg(),
      },
      engine,
      ingest: { rounds, withoutAlertingMsgsPerS: avg(false), withAlertingMsgsPerS: avg(true) },
    },
    null,
    2,
  ),
);
