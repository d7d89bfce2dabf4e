/**
 * Uptime for one year of 300 devices computed through the API. A fresh hub gets 300 devices whose history
 * is backfilled over MQTT (real heartbeats stamped in the past, one every `intervalS`), then
 * GET /api/uptime over the whole year for exactly those devices is timed. Skipped with a mark while the
 * hub has no such endpoint (404).
 */
import { DEVICE_QOS } from '@commune-hub/protocol';
import { connectAsync, type MqttClient } from 'mqtt';
import { heartbeatPayload, heartbeatTopic } from '../loadgen/heartbeat.ts';
import { median, progress, round } from '../stats.ts';
import { HubApi } from '../targets/hub-api.ts';
import { startHubTarget } from '../targets/target.ts';

export interface UptimeFigure {
  available: boolean;
  note: string;
  devices: number;
  days: number;
  intervalS: number;
  heartbeats: number;
  backfillMs: number | null;
  status: number | null;
  /** Median of the timed requests. */
  ms: number | null;
  samplesMs: number[];
}

const DEVICES = 300;
const VILLAGE = 'Thôn uptime';
const CALLS = 5;
const IN_FLIGHT_PER_DEVICE = 50;

async function backfill(
  client: MqttClient,
  id: string,
  from: number,
  count: number,
  stepMs: number,
): Promise<void> {
  let k = 0;
  const lane = async () => {
    while (k < count) {
      const i = k++;
      const ts = from + i * stepMs;
      await client.publishAsync(heartbeatTopic(id), heartbeatPayload(i + 1, ts, i * (stepMs / 1000)), {
        qos: DEVICE_QOS,
      });
    }
  };
  // Order within a device barely matters: a heartbeat older than the newest one is stored as history.
  await Promise.all(Array.from({ length: IN_FLIGHT_PER_DEVICE }, lane));
}

export async function uptimeFigure(
  dataDir: string,
  adminToken: string,
  days: number,
  intervalS: number,
): Promise<UptimeFigure> {
  const base = { devices: DEVICES, days, intervalS, heartbeats: 0, backfillMs: null, samplesMs: [] };
  const target = await startHubTarget({ dataDir, adminToken });
  const api = new HubApi(target.httpUrl!, target.apiToken ?? adminToken);
  try {
    const to = Date.now();
    const from = to - days * 86_400_000;
    const probe = await api.get('/api/uptime?from=' + new Date(to - 1000).toISOString());
    await probe.arrayBuffer();
    if (probe.status === 404) {
      return {
        ...base,
        available: false,
        note: 'not yet available (GET /api/uptime answers 404)',
        status: 404,
        ms: null,
      };
    }
    const ids = Array.from({ length: DEVICES }, (_, i) => `uptime-${String(i).padStart(3, '0')}`);
    const creds = await Promise.all(
      ids.map((id) => api.provision({ id, kind: 'wifi', name: id, village: VILLAGE, intervalS })),
    );
    const perDevice = Math.floor((days * 86_400) / intervalS);
    progress(`uptime: backfilling ${perDevice} heartbeats × ${DEVICES} devices over ${days} days`);
    const t0 = Date.now();
    const lanes = 30;
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < creds.length) {
          const c = creds[next++]!;
          const client = await connectAsync({
            host: target.host,
            port: target.port,
            clientId: c.id,
            username: c.id,
            password: c.secret,
            reconnectPeriod: 0,
          });
          await backfill(client, c.id, from, perDevice, intervalS * 1000);
          await client.endAsync();
        }
      }),
    );
    const backfillMs = Date.now() - t0;
    const samples: number[] = [];
    let status = 0;
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      const res = await api.get(
        `/api/uptime?village=${encodeURIComponent(VILLAGE)}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
      );
      await res.arrayBuffer();
      samples.push(round(performance.now() - t)!);
      status = res.status;
    }
    const figure: UptimeFigure = {
      available: status === 200,
      note:
        status === 200
          ? `GET /api/uptime?village=… over ${days} days, ${DEVICES} devices with a heartbeat every ${intervalS / 3600} h backfilled over MQTT; median of ${CALLS} calls`
          : `GET /api/uptime answered ${status}`,
      devices: DEVICES,
      days,
      intervalS,
      heartbeats: perDevice * DEVICES,
      backfillMs,
      status,
      ms: round(median(samples)),
      samplesMs: samples,
    };
    progress(`uptime: ${JSON.stringify(figure)}`);
    return figure;
  } finally {
    await target.stop();
  }
}
