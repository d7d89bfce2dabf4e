/**
 * Heartbeat bytes on the wire per device per day: computed from the MQTT packets a typical heartbeat makes
 * (PUBLISH QoS 1 + PUBACK, plus PINGREQ/PINGRESP only when the keepalive outlasts the interval), and
 * measured from a real socket's byte counters against the target.
 */
import { DEFAULT_INTERVAL_S, DEVICE_QOS } from '@commune-hub/protocol';
import { connectAsync } from 'mqtt';
import { heartbeatPayload, heartbeatTopic } from '../loadgen/heartbeat.ts';
import { progress, round } from '../stats.ts';
import type { BenchEnv } from '../targets/session.ts';
import type { TargetName } from '../targets/target.ts';

/** IPv4 (20) + TCP (20) + TCP timestamps option (12): what every segment costs on loopback or Ethernet. */
const TCP_IP_HEADER = 52;
const KEEPALIVE_S = 60;
const SAMPLE = 20;

/** MQTT 3.1.1 PUBLISH at QoS 1: fixed header (1 + remaining-length varint), topic (2 + n), packet id (2), payload. */
export function publishPacketBytes(topic: string, payload: string): number {
  const remaining = 2 + Buffer.byteLength(topic) + 2 + Buffer.byteLength(payload);
  const varint = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
  return 1 + varint + remaining;
}

export interface WireFigure {
  intervalS: number;
  keepaliveS: number;
  publishBytes: number;
  pubackBytes: number;
  pingsPerDay: number;
  mqttBytesPerDay: number;
  /** Adds one TCP/IP header per PUBLISH, PUBACK and the pure ACK that answers the PUBACK. */
  ipBytesPerDay: number;
  measuredAgainst: TargetName;
  measuredBytesPerHeartbeat: number | null;
  measuredMqttBytesPerDay: number | null;
}

export async function wireFigure(env: BenchEnv, name: TargetName): Promise<WireFigure> {
  const intervalS = DEFAULT_INTERVAL_S.loudspeaker;
  const id = 'bench-00000';
  const sentAt = Date.now();
  const publishBytes = publishPacketBytes(heartbeatTopic(id), heartbeatPayload(sentAt, sentAt, 86_400));
  // PUBACK (MQTT 3.1.1): fixed header 2 + packet id 2.
  const pubackBytes = 4;
  const perDay = 86_400 / intervalS;
  // MQTT.js reschedules its PINGREQ on every packet sent: with heartbeats more often than the keepalive, no pings.
  const pingsPerDay = intervalS < KEEPALIVE_S ? 0 : 86_400 / KEEPALIVE_S;
  const mqttBytesPerDay = perDay * (publishBytes + pubackBytes) + pingsPerDay * 4;
  const ipBytesPerDay = mqttBytesPerDay + perDay * 3 * TCP_IP_HEADER + pingsPerDay * 3 * TCP_IP_HEADER;

  let measured: number | null = null;
  const session = await env.open(name, 1);
  try {
    const creds = session.devices(1)[0]!;
    const client = await connectAsync({
      host: session.target.host,
      port: session.target.port,
      clientId: creds.id,
      username: creds.id,
      password: creds.secret,
      reconnectPeriod: 0,
      keepalive: KEEPALIVE_S,
    });
    const socket = client.stream as unknown as { bytesWritten: number; bytesRead: number };
    const w0 = socket.bytesWritten;
    const r0 = socket.bytesRead;
    let seq = Date.now();
    for (let i = 0; i < SAMPLE; i++) {
      const ts = Date.now();
      await client.publishAsync(heartbeatTopic(creds.id), heartbeatPayload(++seq, ts, 86_400), {
        qos: DEVICE_QOS,
      });
    }
    measured = (socket.bytesWritten - w0 + socket.bytesRead - r0) / SAMPLE;
    await client.endAsync();
  } finally {
    await session.stop();
  }
  const figure: WireFigure = {
    intervalS,
    keepaliveS: KEEPALIVE_S,
    publishBytes,
    pubackBytes,
    pingsPerDay,
    mqttBytesPerDay: Math.round(mqttBytesPerDay),
    ipBytesPerDay: Math.round(ipBytesPerDay),
    measuredAgainst: name,
    measuredBytesPerHeartbeat: round(measured),
    measuredMqttBytesPerDay: measured === null ? null : Math.round(measured * perDay + pingsPerDay * 4),
  };
  progress(`wire bytes: ${JSON.stringify(figure)}`);
  return figure;
}
