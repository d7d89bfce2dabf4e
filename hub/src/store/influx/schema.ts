/**
 * The InfluxDB measurement schema, written so Grafana's InfluxDB data source reads it as is.
 *
 * measurement `heartbeat`
 *   tags   device, kind, village            (site, location_type are reserved for later)
 *   fields one per metric under its own name: numbers as float, booleans, strings
 *          seq (integer), up (float, s), st (string ok|degraded|fault), late (boolean),
 *          rcv (integer, hub receive time, epoch ms), faults (string, JSON array; only when non-empty),
 *          village_text (string; only when the village holds characters a tag cannot carry exactly:
 *          line protocol has no escape for newline, tab or a trailing backslash)
 *   time   device timestamp in ms, plus (seq mod 1e6) ns: two heartbeats of one device in the same
 *          millisecond stay two points, and the same (device, ts, seq) written twice is stored once.
 * measurement `transition`
 *   tags   device, kind, village
 *   fields from, to, reason (strings), village_text as above
 *   time   `at` in ms, plus a per-process counter in ns so transitions in the same millisecond stay apart.
 *
 * A metric whose name is a tag key, one of the fields above or starts with `m_` is stored as `m_<name>`,
 * which keeps the mapping one-to-one. Example Grafana query:
 *   SELECT mean("signal") FROM "heartbeat" WHERE "device" = 'ls-01' AND $timeFilter GROUP BY time($__interval)
 */
import type { DeviceKind, DeviceStatus, HealthState, Metrics, TransitionReason } from '@commune-hub/protocol';
import { Point } from '@influxdata/influxdb-client';
import type { HeartbeatRow, TransitionRow } from '../types.ts';

export const HEARTBEAT_MEASUREMENT = 'heartbeat';
export const TRANSITION_MEASUREMENT = 'transition';

export const TAG_KEYS = ['device', 'kind', 'village', 'site', 'location_type'] as const;
const HB_FIELDS = ['seq', 'up', 'st', 'late', 'rcv', 'faults', 'village_text'] as const;
const RESERVED = new Set<string>(['time', ...TAG_KEYS, ...HB_FIELDS, 'from', 'to', 'reason']);
const NOT_METRICS = new Set<string>(['time', ...TAG_KEYS, ...HB_FIELDS]);

export function metricField(name: string): string {
  return RESERVED.has(name) || name.startsWith('m_') ? `m_${name}` : name;
}

function metricName(field: string): string {
  return field.startsWith('m_') ? field.slice(2) : field;
}

/** True when line protocol can carry the value as a tag exactly (the client escapes `,`, `=` and space). */
function tagCarriesExactly(value: string): boolean {
  return value.length > 0 && !/[\n\r\t]/.test(value) && !value.endsWith('\\');
}

function tagsAndVillage(p: Point, deviceId: string, kind: string, village: string): Point {
  p.tag('device', deviceId).tag('kind', kind);
  if (tagCarriesExactly(village)) {
    p.tag('village', village);
  } else {
    // Readable tag for Grafana's grouping; the exact text goes in a field.
    const readable = village
      .replace(/[\n\r\t]/g, ' ')
      .replace(/\\+$/, '')
      .trim();
    if (readable) p.tag('village', readable);
    p.stringField('village_text', village);
  }
  return p;
}

function nanos(ms: number, extra: number): string {
  return (BigInt(ms) * 1_000_000n + BigInt(extra)).toString();
}

export function heartbeatPoint(row: HeartbeatRow): Point {
  const p = new Point(HEARTBEAT_MEASUREMENT);
  tagsAndVillage(p, row.deviceId, row.kind, row.village);
  p.intField('seq', row.seq)
    .floatField('up', row.up)
    .stringField('st', row.st)
    .booleanField('late', row.late);
  p.intField('rcv', row.receivedAt);
  if (row.faults.length > 0) p.stringField('faults', JSON.stringify(row.faults));
  for (const [name, value] of Object.entries(row.m)) {
    const field = metricField(name);
    if (typeof value === 'number') p.floatField(field, value);
    else if (typeof value === 'boolean') p.booleanField(field, value);
    else p.stringField(field, value);
  }
  return p.timestamp(nanos(row.ts, row.seq % 1_000_000));
}

export function transitionPoint(row: TransitionRow, counter: number): Point {
  const p = new Point(TRANSITION_MEASUREMENT);
  tagsAndVillage(p, row.deviceId, row.kind, row.village);
  p.stringField('from', row.from).stringField('to', row.to).stringField('reason', row.reason);
  return p.timestamp(nanos(row.at, counter % 1_000_000));
}

/** One InfluxQL result series as returned by /query: column names and rows of values. */
export interface ResultTable {
  columns: string[];
  values: unknown[][];
}

type Cell = string | number | boolean | null;

function columnIndex(columns: string[]): Map<string, number> {
  return new Map(columns.map((c, i) => [c, i]));
}

function villageOf(get: (c: string) => Cell): string {
  const exact = get('village_text');
  return typeof exact === 'string' ? exact : String(get('village') ?? '');
}

export function parseHeartbeats(table: ResultTable): HeartbeatRow[] {
  const idx = columnIndex(table.columns);
  const metricCols = table.columns.filter((c) => !NOT_METRICS.has(c));
  return table.values.map((values) => {
    const get = (c: string): Cell => (values[idx.get(c) ?? -1] as Cell | undefined) ?? null;
    const m: Metrics = {};
    for (const col of metricCols) {
      const v = get(col);
      if (v !== null) m[metricName(col)] = v;
    }
    const faults = get('faults');
    return {
      deviceId: String(get('device')),
      kind: get('kind') as DeviceKind,
      village: villageOf(get),
      ts: Number(get('time')),
      receivedAt: Number(get('rcv')),
      seq: Number(get('seq')),
      up: Number(get('up')),
      st: get('st') as HealthState,
      m,
      faults: typeof faults === 'string' ? (JSON.parse(faults) as string[]) : [],
      late: get('late') === true,
    };
  });
}

export function parseTransitions(table: ResultTable): TransitionRow[] {
  const idx = columnIndex(table.columns);
  return table.values.map((values) => {
    const get = (c: string): Cell => (values[idx.get(c) ?? -1] as Cell | undefined) ?? null;
    return {
      deviceId: String(get('device')),
      kind: get('kind') as DeviceKind,
      village: villageOf(get),
      at: Number(get('time')),
      from: get('from') as DeviceStatus,
      to: get('to') as DeviceStatus,
      reason: get('reason') as TransitionReason,
    };
  });
}
