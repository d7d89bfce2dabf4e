/**
 * Turns the raw figures into the table of BENCHMARKS.md: one row per figure with the hub beside the
 * baselines, the hub/baseline ratios and the issue's goal where it has one.
 */
import type { LoadFigures } from './figures/load.ts';
import type { OfflineFigure } from './figures/offline.ts';
import type { SoakFigure } from './figures/soak.ts';
import type { UptimeFigure } from './figures/uptime.ts';
import type { WireFigure } from './figures/wire.ts';
import { median, ratio, round } from './stats.ts';
import type { TargetName } from './targets/target.ts';

export interface TargetResult {
  load: LoadFigures | null;
  offline: OfflineFigure | null;
  skipped?: string;
}

export interface Row {
  figure: string;
  unit: string;
  hub: number | null;
  aedes: number | null;
  mosquitto: number | null;
  hubPerAedes: number | null;
  hubPerMosquitto: number | null;
  goal: string | null;
  met: boolean | null;
}

/** Every figure the bench must produce (the quick-mode test checks each is present). */
export const FIGURES = [
  'ingest',
  'latencySaturation',
  'latencyProvince',
  'lossAt80',
  'memoryPerDevice',
  'soakGrowth',
  'offlineLastWill',
  'offlineSilent',
  'wireBytes',
  'uptimeYear300',
] as const;
export type FigureKey = (typeof FIGURES)[number];

export type Figures = Record<FigureKey, Row[]>;

type PerTarget = Partial<Record<TargetName, TargetResult>>;

function row(
  figure: string,
  unit: string,
  pick: (t: TargetResult, name: TargetName) => number | null | undefined,
  targets: PerTarget,
  goal: string | null = null,
  check?: (hub: number, aedes: number | null) => boolean,
): Row {
  const get = (name: TargetName) => {
    const t = targets[name];
    const v = t ? pick(t, name) : null;
    return v == null || !Number.isFinite(v) ? null : v;
  };
  const hub = get('hub');
  const aedes = get('aedes');
  const mosquitto = get('mosquitto');
  return {
    figure,
    unit,
    hub,
    aedes,
    mosquitto,
    hubPerAedes: round(ratio(hub, aedes), 2),
    hubPerMosquitto: round(ratio(hub, mosquitto), 2),
    goal,
    met: check && hub !== null ? check(hub, aedes) : null,
  };
}

export function buildFigures(
  targets: PerTarget,
  soak: SoakFigure | null,
  wire: WireFigure | null,
  uptime: UptimeFigure | null,
): Figures {
  const anyLoad = Object.values(targets).find((t) => t?.load)?.load;
  const ingestCounts = anyLoad?.ingest.map((i) => i.devices) ?? [];
  const memoryCounts = anyLoad?.memory.map((m) => m.devices) ?? [];
  const largest = ingestCounts.at(-1);
  const ingestOf = (t: TargetResult, n: number | undefined) => t.load?.ingest.find((i) => i.devices === n);
  const hubOnly = (
    figure: string,
    unit: string,
    value: number | null,
    goal: string | null,
    met: boolean | null,
  ): Row => ({
    figure,
    unit,
    hub: value,
    aedes: null,
    mosquitto: null,
    hubPerAedes: null,
    hubPerMosquitto: null,
    goal,
    met,
  });
  return {
    ingest: ingestCounts.flatMap((n) => [
      row(
        `sustained ingest, ${n} devices (hub: accepted; brokers: PUBACKed)`,
        'heartbeats/s',
        // A bare broker's ingest is done when it acknowledges the QoS 1 publish; the hub acknowledges
        // after validation, liveness and the store buffer, so its accepted counter is the same point.
        (t, name) => (name === 'hub' ? ingestOf(t, n)?.processedPerS : ingestOf(t, n)?.ackedPerS),
        targets,
        '≥ 50% of aedes and ≥ 10,000/s',
        (hub, aedes) => hub >= 10_000 && aedes !== null && hub >= 0.5 * aedes,
      ),
      row(`  acknowledged (PUBACK), ${n} devices`, 'heartbeats/s', (t) => ingestOf(t, n)?.ackedPerS, targets),
      row(
        `  reaching the consumer (hub: accepted counter; brokers: one QoS 0 subscriber), ${n} devices`,
        'heartbeats/s',
        (t) => ingestOf(t, n)?.processedPerS,
        targets,
      ),
      row(`  CPU of the target, ${n} devices`, 'cores', (t) => ingestOf(t, n)?.targetCores, targets),
      row(
        `  CPU of the load generator, ${n} devices`,
        'cores',
        (t) => roundsMedian(ingestOf(t, n), 'generatorCores'),
        targets,
      ),
      row(
        `  CPU of the consumer (bench process)`,
        'cores',
        (t) => roundsMedian(ingestOf(t, n), 'consumerCores'),
        targets,
      ),
      row(
        `  target CPU per 1,000 heartbeats, ${n} devices`,
        'CPU ms',
        (t) => cpuPerThousand(ingestOf(t, n)),
        targets,
      ),
    ]),
    latencySaturation: [
      row(
        `latency at saturation p50, ${largest} devices`,
        'ms',
        (t) => ingestOf(t, largest)?.latencyP50Ms,
        targets,
      ),
      row(
        `latency at saturation p99, ${largest} devices`,
        'ms',
        (t) => ingestOf(t, largest)?.latencyP99Ms,
        targets,
      ),
    ],
    latencyProvince: [
      row('latency at a province’s load p50', 'ms', (t) => t.load?.province?.latencyP50Ms, targets),
      row(
        'latency at a province’s load p99',
        'ms',
        (t) => t.load?.province?.latencyP99Ms,
        targets,
        '< 1000 ms',
        (h) => h < 1000,
      ),
    ],
    lossAt80: [
      row(
        'QoS 1 loss at 80% of saturation',
        'heartbeats lost',
        // A broker has done its QoS 1 duty when it acknowledges; the hub acknowledges after ingest, so its
        // loss is what its accepted counter did not see.
        (t, name) => {
          const loss = t.load?.loss;
          if (!loss) return null;
          return name === 'hub' ? loss.lost : loss.sent - loss.acked;
        },
        targets,
        '0',
        (h) => h === 0,
      ),
    ],
    memoryPerDevice: memoryCounts.flatMap((n) => [
      row(
        `RSS idle, before ${n} devices connect`,
        'MiB',
        (t) => t.load?.memory.find((m) => m.devices === n)?.rssBeforeMiB,
        targets,
      ),
      row(
        `RSS with ${n} devices connected`,
        'MiB',
        (t) => t.load?.memory.find((m) => m.devices === n)?.rssAfterMiB,
        targets,
      ),
      row(
        `RSS per connected device, ${n} devices`,
        'KiB',
        (t) => t.load?.memory.find((m) => m.devices === n)?.kibPerDevice,
        targets,
        '≤ 1.5 × aedes',
        (hub, aedes) => aedes !== null && hub <= 1.5 * aedes,
      ),
    ]),
    soakGrowth: [
      hubOnly(
        `RSS growth over a ${soak ? Math.round(soak.durationMs / 1000) : '?'} s soak (${soak?.devices ?? '?'} devices)`,
        '%',
        soak?.growthPct ?? null,
        '≤ 5%',
        soak?.growthPct == null ? null : soak.growthPct <= 5,
      ),
    ],
    offlineLastWill: [
      row(
        'offline detection, dropped connection (median)',
        'ms',
        (t) => t.offline?.lastWillMedianMs,
        targets,
      ),
      row(
        'offline detection, dropped connection (worst)',
        'ms',
        (t) => t.offline?.lastWillMaxMs,
        targets,
        '≤ 1000 ms',
        (h) => h <= 1000,
      ),
    ],
    offlineSilent: [
      hubOnly(
        'offline detection beyond grace, silence (median)',
        'ms',
        targets.hub?.offline?.silentBeyondGraceMedianMs ?? null,
        null,
        null,
      ),
      hubOnly(
        'offline detection beyond grace, silence (worst)',
        'ms',
        targets.hub?.offline?.silentBeyondGraceMaxMs ?? null,
        '≤ 1000 ms',
        targets.hub?.offline?.silentBeyondGraceMaxMs == null
          ? null
          : targets.hub.offline.silentBeyondGraceMaxMs <= 1000,
      ),
    ],
    wireBytes: [
      hubOnly(
        `heartbeat MQTT bytes per device per day (every ${wire?.intervalS ?? '?'} s)`,
        'bytes',
        wire?.mqttBytesPerDay ?? null,
        null,
        null,
      ),
      hubOnly('  same with TCP/IP headers', 'bytes', wire?.ipBytesPerDay ?? null, null, null),
      hubOnly(
        `  measured on a socket (${wire?.measuredAgainst ?? '?'})`,
        'bytes',
        wire?.measuredMqttBytesPerDay ?? null,
        null,
        null,
      ),
    ],
    uptimeYear300: [
      hubOnly(
        `uptime of 300 devices over ${uptime?.days ?? '?'} days via GET /api/uptime${uptime?.available ? '' : ` — ${uptime?.note ?? 'not yet available'}`}`,
        'ms',
        uptime?.ms ?? null,
        null,
        null,
      ),
    ],
  };
}

function roundsMedian(
  figure: { rounds: Partial<Record<'generatorCores' | 'consumerCores', number>>[] } | undefined,
  key: 'generatorCores' | 'consumerCores',
): number | null {
  const values = figure?.rounds.map((r) => r[key]).filter((v): v is number => typeof v === 'number') ?? [];
  return values.length ? round(median(values), 2) : null;
}

/** CPU the target spent per 1,000 heartbeats: comparable even when the generator, not the target, is the limit. */
function cpuPerThousand(
  figure: { rounds: { targetCores: number; ackedPerS: number }[] } | undefined,
): number | null {
  if (!figure) return null;
  const values = figure.rounds.filter((r) => r.ackedPerS > 0).map((r) => (r.targetCores * 1e6) / r.ackedPerS);
  return values.length ? round(median(values)) : null;
}

const fmt = (v: number | null) =>
  v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function markdownTable(figures: Figures): string {
  const lines = [
    '| Figure | Unit | Hub | Bare aedes | Mosquitto | Hub/aedes | Hub/Mosquitto | Goal | Met |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const key of FIGURES) {
    for (const r of figures[key]) {
      const met = r.met === null ? '' : r.met ? 'yes' : '**no**';
      lines.push(
        `| ${r.figure} | ${r.unit} | ${fmt(r.hub)} | ${fmt(r.aedes)} | ${fmt(r.mosquitto)} | ${fmt(r.hubPerAedes)} | ${fmt(r.hubPerMosquitto)} | ${r.goal ?? ''} | ${met} |`,
      );
    }
  }
  return lines.join('\n');
}
