import { deviceTopic, type Heartbeat, PROTOCOL_VERSION } from '@commune-hub/protocol';

/**
 * A typical loudspeaker heartbeat. `ts` is the send time (epoch ms) and `seq` the per-device counter, so
 * every consumer (subscriber, hub, dashboard) can compute end-to-end latency and spot gaps from the
 * payload alone while the message stays a valid protocol v1 heartbeat.
 */
export function heartbeatPayload(seq: number, sentAt: number, upS: number): string {
  const hb: Heartbeat = {
    v: PROTOCOL_VERSION,
    ts: sentAt,
    seq,
    up: upS,
    st: 'ok',
    m: { signal: -61, amplifier: true, volume: 70, playing: false, power: 'mains', temperature: 41.5 },
  };
  return JSON.stringify(hb);
}

export function heartbeatTopic(deviceId: string): string {
  return deviceTopic(deviceId, 'hb');
}

/** Reads `ts` back from a heartbeat payload without trusting it (the consumer side of the bench). */
export function sentAtOf(payload: Buffer | string): number | null {
  try {
    const parsed = JSON.parse(payload.toString()) as { ts?: unknown };
    return typeof parsed.ts === 'number' ? parsed.ts : null;
  } catch {
    return null;
  }
}
