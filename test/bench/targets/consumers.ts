/**
 * What sits at the receiving end of each target: a subscriber for the bare brokers, the dashboard's
 * socket.io client for the hub. Both count what arrives and keep end-to-end latency samples computed from
 * the heartbeat's own `ts` (the send time), plus the time each device was last reported offline.
 */
import type { DevicesDiff, ServerToClientEvents } from '@commune-hub/protocol';
import { connect as mqttConnect } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { sentAtOf } from '../loadgen/heartbeat.ts';

const SAMPLE_LIMIT = 200_000;

export interface Consumer {
  /** Heartbeats (or heartbeat-carrying diffs) received since the last reset. */
  received: number;
  latencyMs: number[];
  /** deviceId → local time the consumer learned the device is offline. */
  offlineAt: Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

abstract class BaseConsumer implements Consumer {
  received = 0;
  latencyMs: number[] = [];
  offlineAt = new Map<string, number>();
  private seen = 0;

  reset(): void {
    this.received = 0;
    this.latencyMs = [];
    this.seen = 0;
  }

  /** Reservoir sampling keeps the latency sample unbiased over a long phase in bounded memory. */
  protected sample(ms: number): void {
    this.seen++;
    if (this.latencyMs.length < SAMPLE_LIMIT) this.latencyMs.push(ms);
    else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < SAMPLE_LIMIT) this.latencyMs[j] = ms;
    }
  }

  abstract close(): Promise<void>;
}

export class SubscriberConsumer extends BaseConsumer {
  private constructor(private readonly client: ReturnType<typeof mqttConnect>) {
    super();
  }

  static async start(host: string, port: number): Promise<SubscriberConsumer> {
    const client = mqttConnect({ host, port, clientId: `bench-sub-${process.pid}`, reconnectPeriod: 0 });
    const consumer = new SubscriberConsumer(client);
    client.on('message', (topic, payload) => {
      const now = Date.now();
      if (topic.endsWith('/hb')) {
        consumer.received++;
        const sentAt = sentAtOf(payload);
        if (sentAt !== null) consumer.sample(now - sentAt);
      } else if (topic.endsWith('/status') && payload.toString() === 'offline') {
        consumer.offlineAt.set(topic.split('/')[2]!, now);
      }
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync({ 'commune/v1/+/hb': { qos: 0 }, 'commune/v1/+/status': { qos: 0 } });
    return consumer;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

export class DashboardConsumer extends BaseConsumer {
  diffs = 0;
  private constructor(private readonly socket: Socket<ServerToClientEvents>) {
    super();
  }

  /** `token`: a personal API token (the live socket needs one, like every dashboard). */
  static async start(httpUrl: string, token: string): Promise<DashboardConsumer> {
    const socket: Socket<ServerToClientEvents> = io(httpUrl, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    const consumer = new DashboardConsumer(socket);
    socket.on('devices:diff', (diff: DevicesDiff) => {
      const now = Date.now();
      consumer.diffs++;
      for (const change of diff.changes) {
        if (change.lastSeen) {
          consumer.received++;
          consumer.sample(now - Date.parse(change.lastSeen));
        }
        if (change.status === 'offline') consumer.offlineAt.set(change.id, now);
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('devices:snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    return consumer;
  }

  async close(): Promise<void> {
    this.socket.disconnect();
  }
}
