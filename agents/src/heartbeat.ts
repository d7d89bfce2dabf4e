import {
  channels,
  type HealthState,
  type Heartbeat,
  MAX_PAYLOAD_BYTES,
  METRIC_NAME_PATTERN,
  type Metrics,
  MetricValue,
  PROTOCOL_VERSION,
} from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import { AGENT_ERROR_CODES, AgentError } from './errors.ts';
import type { ProbeResult } from './probes/index.ts';

const MAX_METRICS = 64;
const MAX_FAULTS = 16;
const METRIC_KEY_RE = new RegExp(METRIC_NAME_PATTERN);

export interface HeartbeatInput {
  ts: number;
  seq: number;
  /** Seconds since the device started. */
  up: number;
  results: readonly ProbeResult[];
}

/**
 * Merges probe results into one protocol heartbeat. Metrics a probe got wrong (NaN, bad key) are left
 * out rather than making the whole heartbeat invalid; any fault makes the state `degraded`.
 */
export function buildHeartbeat(input: HeartbeatInput): Heartbeat {
  const m: Metrics = {};
  const faults = new Set<string>();
  for (const result of input.results) {
    for (const [key, value] of Object.entries(result.metrics)) {
      if (Object.keys(m).length >= MAX_METRICS) break;
      if (!METRIC_KEY_RE.test(key) || !Value.Check(MetricValue, value)) continue;
      if (typeof value === 'number' && !Number.isFinite(value)) continue;
      m[key] = value;
    }
    for (const fault of result.faults) faults.add(fault.slice(0, 64));
  }
  const faultList = [...faults].filter((f) => f !== '').slice(0, MAX_FAULTS);
  const st: HealthState = faultList.length > 0 ? 'degraded' : 'ok';
  const heartbeat: Heartbeat = {
    v: PROTOCOL_VERSION,
    ts: Math.trunc(input.ts),
    seq: input.seq,
    up: Math.max(0, Math.round(input.up)),
    st,
    m,
  };
  if (faultList.length > 0) heartbeat.faults = faultList;
  return heartbeat;
}

/** Throws HUB_ERR_AGENT_HEARTBEAT_INVALID if the hub would reject this heartbeat. */
export function assertValidHeartbeat(heartbeat: unknown): asserts heartbeat is Heartbeat {
  // The `hb` channel's schema in protocol's channel map: what the hub checks, checked before sending.
  if (!Value.Check(channels.hb.schema, heartbeat)) {
    const first = Value.Errors(channels.hb.schema, heartbeat).First();
    throw new AgentError(
      AGENT_ERROR_CODES.heartbeatInvalid,
      `heartbeat does not match the protocol schema: ${first ? `${first.path} ${first.message}` : 'unknown'}`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(heartbeat));
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new AgentError(
      AGENT_ERROR_CODES.heartbeatInvalid,
      `heartbeat is ${bytes} bytes, over the protocol's ${MAX_PAYLOAD_BYTES}`,
    );
  }
}
