import {
  DEVICE_QOS,
  deviceTopic,
  type Heartbeat,
  MAX_PAYLOAD_BYTES,
  PROTOCOL_VERSION,
} from '@commune-hub/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../logger.ts';
import type { Scenario } from '../scenario/load.ts';
import type { BadActor } from '../scenario/schema.ts';
import type { Scheduler } from '../scheduler.ts';

export interface BadActorContext {
  mqttUrl: string;
  password(id: string): string | undefined;
  scheduler: Scheduler;
  logger: Logger;
  speed: number;
}

/**
 * Devices that misbehave on purpose, so the hub's defences are exercised by every demo: malformed JSON,
 * oversized payloads, publishing on another device's topic, replaying one heartbeat (same seq), and
 * connecting/disconnecting in a tight loop. They are provisioned like any device and are not in the truth.
 */
export class BadActorRunner {
  private readonly clients = new Map<string, MqttClient>();
  private running = false;
  /** Messages sent per behaviour, for the summary. */
  readonly sent: Record<string, number> = {};
  /** What a replayer repeats: its first heartbeat, byte for byte. */
  private replayed: string | undefined;

  constructor(
    private readonly actors: readonly BadActor[],
    private readonly scenario: Scenario,
    private readonly ctx: BadActorContext,
  ) {}

  start(): void {
    this.running = true;
    for (const actor of this.actors) {
      const password = this.ctx.password(actor.id);
      const client = mqtt.connect(this.ctx.mqttUrl, {
        clientId: actor.id,
        username: actor.id,
        ...(password !== undefined && { password }),
        clean: true,
        // Spoofers get disconnected by a strict broker: come back, that is the point.
        reconnectPeriod: actor.behaviour === 'reconnect_storm' ? 0 : 2000,
      });
      client.on('error', (err) =>
        this.ctx.logger.debug({ err: err.message, deviceId: actor.id }, 'bad actor error'),
      );
      this.clients.set(actor.id, client);
      this.schedule(actor, 1);
    }
  }

  private schedule(actor: BadActor, seq: number): void {
    const every =
      ((actor.everyS ?? (actor.behaviour === 'reconnect_storm' ? 1 : 10)) * 1000) / this.ctx.speed;
    this.ctx.scheduler.at(this.ctx.scheduler.now() + every, () => {
      if (!this.running) return;
      this.act(actor, seq);
      this.schedule(actor, seq + 1);
    });
  }

  private heartbeat(seq: number): Heartbeat {
    return { v: PROTOCOL_VERSION, ts: this.ctx.scheduler.now(), seq, up: seq, st: 'ok', m: { cpuPct: 5 } };
  }

  private act(actor: BadActor, seq: number): void {
    const client = this.clients.get(actor.id)!;
    const own = deviceTopic(actor.id, 'hb');
    this.sent[actor.behaviour] = (this.sent[actor.behaviour] ?? 0) + 1;
    switch (actor.behaviour) {
      case 'malformed_json':
        client.publish(own, `{"v":1,"ts":${this.ctx.scheduler.now()},"seq":${seq},"m":{`, {
          qos: DEVICE_QOS,
        });
        break;
      case 'oversized':
        client.publish(
          own,
          JSON.stringify({
            ...this.heartbeat(seq),
            m: { blob: 'x'.repeat(200) },
            pad: 'x'.repeat(MAX_PAYLOAD_BYTES * 2),
          }),
          { qos: DEVICE_QOS },
        );
        break;
      case 'spoof': {
        const target = actor.target ?? this.scenario.devices[0]?.id ?? 'unknown';
        client.publish(deviceTopic(target, 'hb'), JSON.stringify(this.heartbeat(seq)), { qos: DEVICE_QOS });
        break;
      }
      case 'replay':
        // The same heartbeat (same seq, same ts) again and again: the hub must count it once.
        this.replayed ??= JSON.stringify(this.heartbeat(1));
        client.publish(own, this.replayed, { qos: DEVICE_QOS });
        break;
      case 'reconnect_storm':
        if (client.connected) client.end(true);
        else client.reconnect();
        break;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.clients.values()].map((c) => c.endAsync(true).catch(() => undefined)));
    this.clients.clear();
    if (this.actors.length > 0) this.ctx.logger.info({ sent: this.sent }, 'bad actors stopped');
  }
}
