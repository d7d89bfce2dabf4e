/**
 * Offline detection delay. Last-will path: a connected device's socket is destroyed; the delay runs until
 * the consumer learns the device is offline (hub: a `devices:diff` with status offline; brokers: the will
 * reaching the subscriber). Silent path (hub only): a device with a 1 s interval stops sending; the delay
 * is how long after its grace (2.5 × interval past its last heartbeat) the dashboard hears of it.
 */
import { DEVICE_QOS, deviceTopic, GRACE_FACTOR, STATUS_OFFLINE, STATUS_ONLINE } from '@commune-hub/protocol';
import { connectAsync, type MqttClient } from 'mqtt';
import type { BenchConfig } from '../config.ts';
import { heartbeatPayload, heartbeatTopic } from '../loadgen/heartbeat.ts';
import { median, progress, round, sleep, waitFor } from '../stats.ts';
import type { BenchEnv, Session } from '../targets/session.ts';
import type { TargetName } from '../targets/target.ts';

export interface OfflineFigure {
  lastWillMs: number[];
  lastWillMedianMs: number | null;
  lastWillMaxMs: number | null;
  /** Delay beyond the grace; null for brokers, which have no notion of a silent device. */
  silentBeyondGraceMs: number[] | null;
  silentBeyondGraceMedianMs: number | null;
  silentBeyondGraceMaxMs: number | null;
}

const SILENT_INTERVAL_S = 1;

async function connectDevice(session: Session, id: string, secret: string): Promise<MqttClient> {
  // With HUB_WORKERS the connection may land on a worker that has not yet heard of a device another
  // worker just provisioned (it follows PostgreSQL's notifications): a refused CONNECT is retried for a while.
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(session, id, secret);
    } catch (err) {
      progress(`  ${id}: attempt ${attempt} failed: ${(err as Error).message}`);
      if (attempt >= 20) throw err;
      await sleep(500);
    }
  }
}

/** How long a QoS 1 publish may wait for its PUBACK (the hub's group commit is ~tens of ms) before it counts as stalled. */
const PUBACK_TIMEOUT_MS = 15_000;

/**
 * A QoS 1 publish that settles: mqtt.js keeps an unacknowledged publish for a reconnect that, with
 * reconnectPeriod 0, never comes, so a connection that closes (or a PUBACK that never arrives) left the
 * bench waiting for ever once (HUB_WORKERS=2). Here it rejects instead, and the caller retries or fails.
 */
function publishAcked(client: MqttClient, topic: string, payload: string, retain = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = () => finish(new Error(`connection closed before the PUBACK of ${topic}`));
    const timer = setTimeout(
      () => finish(new Error(`no PUBACK for ${topic} within ${PUBACK_TIMEOUT_MS} ms`)),
      PUBACK_TIMEOUT_MS,
    );
    const finish = (err?: Error) => {
      clearTimeout(timer);
      client.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    client.once('close', onClose);
    client.publish(topic, payload, { qos: DEVICE_QOS, retain }, (err) => finish(err ?? undefined));
  });
}

async function connectOnce(session: Session, id: string, secret: string): Promise<MqttClient> {
  const client = await connectAsync({
    connectTimeout: 10_000,
    host: session.target.host,
    port: session.target.port,
    clientId: id,
    username: id,
    password: secret,
    reconnectPeriod: 0,
    keepalive: 60,
    will: {
      topic: deviceTopic(id, 'status'),
      payload: Buffer.from(STATUS_OFFLINE),
      qos: DEVICE_QOS,
      retain: true,
    },
  });
  try {
    await publishAcked(client, deviceTopic(id, 'status'), STATUS_ONLINE, true);
  } catch (err) {
    client.end(true);
    throw err;
  }
  return client;
}

let seq = Date.now();
async function heartbeat(client: MqttClient, id: string): Promise<number> {
  const ts = Date.now();
  await publishAcked(client, heartbeatTopic(id), heartbeatPayload(++seq, ts, 1));
  return ts;
}

async function credentials(session: Session, id: string, intervalS: number): Promise<string> {
  if (!session.api) return 'x';
  const creds = await session.api.provision({
    id,
    kind: 'loudspeaker',
    name: id,
    village: 'Thôn bench',
    intervalS,
  });
  return creds.secret;
}

export async function offlineFigure(
  env: BenchEnv,
  name: TargetName,
  config: BenchConfig,
): Promise<OfflineFigure> {
  progress(`${name}: offline detection, ${config.offlineRounds} round(s)`);
  const session = await env.open(name, 0);
  try {
    const lastWill: number[] = [];
    const willId = 'bench-offline-will';
    const willSecret = await credentials(session, willId, 30);
    for (let r = 0; r < config.offlineRounds; r++) {
      const client = await connectDevice(session, willId, willSecret);
      await heartbeat(client, willId);
      // Let the hub settle the device online before pulling the plug.
      await sleep(600);
      const t0 = Date.now();
      client.stream.destroy();
      const at = await waitFor(
        () => {
          const seen = session.consumer.offlineAt.get(willId);
          return seen !== undefined && seen >= t0 ? seen : undefined;
        },
        'offline after a dropped connection',
        { timeoutMs: 30_000, everyMs: 5 },
      );
      lastWill.push(at - t0);
      client.end(true);
    }
    let silent: number[] | null = null;
    if (name === 'hub') {
      silent = [];
      const silentId = 'bench-offline-silent';
      const silentSecret = await credentials(session, silentId, SILENT_INTERVAL_S);
      const client = await connectDevice(session, silentId, silentSecret);
      try {
        for (let r = 0; r < config.offlineRounds; r++) {
          const lastTs = await heartbeat(client, silentId);
          const at = await waitFor(
            () => {
              const seen = session.consumer.offlineAt.get(silentId);
              return seen !== undefined && seen > lastTs ? seen : undefined;
            },
            'offline after silence',
            { timeoutMs: 30_000, everyMs: 5 },
          );
          silent.push(at - (lastTs + GRACE_FACTOR * SILENT_INTERVAL_S * 1000));
        }
      } finally {
        await client.endAsync(true);
      }
    }
    const figure: OfflineFigure = {
      lastWillMs: lastWill,
      lastWillMedianMs: round(median(lastWill)),
      lastWillMaxMs: lastWill.length ? Math.max(...lastWill) : null,
      silentBeyondGraceMs: silent,
      silentBeyondGraceMedianMs: silent ? round(median(silent)) : null,
      silentBeyondGraceMaxMs: silent?.length ? Math.max(...silent) : null,
    };
    progress(`  ${JSON.stringify(figure)}`);
    return figure;
  } finally {
    await session.stop();
  }
}
