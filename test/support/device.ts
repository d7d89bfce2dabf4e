import type { DeviceCredentials } from '@commune-hub/protocol';
import mqtt, { type MqttClient } from 'mqtt';

export interface TestDevice {
  client: MqttClient;
  id: string;
  seq: number;
  beat(extra?: Partial<{ ts: number; st: string; m: Record<string, unknown>; seq: number }>): Promise<void>;
  /** Ends the TCP connection without DISCONNECT, so the broker fires the last will. */
  kill(): void;
}

/** A real MQTT.js device as protocol/README.md describes it: own credentials, last will, QoS 1. */
export async function connectDevice(
  mqttUrl: string,
  creds: DeviceCredentials,
  options: { will?: string; clientId?: string; username?: string } = {},
): Promise<TestDevice> {
  const client = mqtt.connect(mqttUrl, {
    clientId: options.clientId ?? creds.id,
    username: options.username ?? creds.id,
    password: creds.secret,
    reconnectPeriod: 0,
    will: {
      topic: options.will ?? `commune/v1/${creds.id}/status`,
      payload: Buffer.from('offline'),
      qos: 1,
      retain: true,
    },
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const device: TestDevice = {
    client,
    id: creds.id,
    seq: 0,
    async beat(extra = {}) {
      const payload = { v: 1, ts: Date.now(), seq: device.seq++, up: 1, st: 'ok', m: { x: 1 }, ...extra };
      await client.publishAsync(`commune/v1/${creds.id}/hb`, JSON.stringify(payload), { qos: 1 });
    },
    kill() {
      client.stream.destroy();
      client.end(true);
    },
  };
  return device;
}

/** Resolves when the client's connection is closed by the broker (or rejects after timeout). */
export function closedByBroker(client: MqttClient, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (client.disconnected || !client.connected) return resolve();
    const t = setTimeout(() => reject(new Error('connection was not closed')), timeoutMs);
    client.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
