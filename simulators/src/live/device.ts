import {
  type DeviceMeta,
  deviceTopic,
  PROTOCOL_VERSION,
  publishOptions,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from '@commune-hub/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { activeFaults, buildHeartbeat, firstSlotFrom, REBOOT_CAUSES, slotTime } from '../heartbeat.ts';
import type { Logger } from '../logger.ts';
import { type Rng, rngFor } from '../prng.ts';
import type { Scheduler } from '../scheduler.ts';
import type { DevicePlan, DownCause, FaultSpan, Segment, WireMode } from '../timeline/generate.ts';
import type { TruthRecorder } from '../truth/recorder.ts';

/** What every live device shares: one scheduler, one truth recorder, one set of counters. */
export interface LiveContext {
  scheduler: Scheduler;
  recorder: TruthRecorder;
  mqttUrl: string;
  /** CA (PEM) of the hub's certificate, for mqtts:// with a commune's own CA. */
  ca?: Buffer;
  /** One client certificate and key (PEM) shared by every simulated device, for a hub with HUB_TLS_CA. */
  cert?: Buffer;
  key?: Buffer;
  password(id: string): string | undefined;
  seed: number | string;
  planFrom: number;
  planTo: number;
  speed: number;
  utcOffsetH: number;
  keepaliveS: number;
  logger: Logger;
  stats: { connected: number; heartbeats: number; connects: number; errors: number };
  /** Called once per device when it first either delivered a heartbeat or was meant to be down. */
  settled(id: string): void;
  stopping(): boolean;
}

type Desired =
  | { state: 'up' }
  | { state: 'down'; cause: DownCause; wire: WireMode }
  | { state: 'maintenance' };

/**
 * One simulated device on its own MQTT connection. It follows its plan (up, down by a cause, maintenance)
 * and manual overrides (kill, silence, village power cut), and reports what it really did to the truth.
 * State is kept small: 10,000 of these live in one process.
 */
export class LiveDevice {
  private client: MqttClient | null = null;
  private connected = false;
  /** Set before we close the socket on purpose, so 'close' is not taken for a network failure. */
  private closingOnPurpose = false;
  private manual: 'killed' | 'silenced' | null = null;
  private powerCutAt: number | null = null;
  private batteryMs = 0;
  private segIdx = 0;
  private lastSeq = -1;
  private beatGen = 0;
  private upSince: number;
  private desired: Desired = { state: 'down', cause: 'never', wire: 'silent' };
  private retryMs = 1000;
  private isSettled = false;
  private readonly rng: Rng;

  constructor(
    readonly plan: DevicePlan,
    private readonly ctx: LiveContext,
  ) {
    this.rng = rngFor(ctx.seed, 'metrics', plan.device.id);
    this.upSince = ctx.planFrom;
  }

  get id(): string {
    return this.plan.device.id;
  }

  get villageId(): string {
    return this.plan.device.villageId;
  }

  /** Starts following the plan at `at` (ramp-up slot). */
  start(at: number): void {
    this.ctx.scheduler.at(at, () => {
      this.evaluate();
      this.watchSegments();
    });
  }

  kill(): void {
    this.manual = 'killed';
    this.evaluate();
  }

  silence(): void {
    this.manual = 'silenced';
    this.evaluate();
  }

  revive(): void {
    this.manual = null;
    this.evaluate();
  }

  /** Mains power lost at the device's site; loudspeaker clusters run on battery for `batteryMs` first. */
  powerCut(batteryMs: number): void {
    const now = this.ctx.scheduler.now();
    this.powerCutAt = now;
    this.batteryMs = this.plan.device.kind === 'loudspeaker' ? batteryMs : 0;
    if (this.batteryMs > 0) {
      this.ctx.recorder.fault(this.id, { from: now, to: now + this.batteryMs, fault: 'on_battery' });
      this.ctx.scheduler.at(now + this.batteryMs, () => this.evaluate());
    }
    this.evaluate();
  }

  powerRestore(): void {
    this.powerCutAt = null;
    this.evaluate();
  }

  private segmentAt(now: number): Segment | undefined {
    const segs = this.plan.segments;
    while (this.segIdx < segs.length - 1 && segs[this.segIdx]!.to <= now) this.segIdx++;
    const seg = segs[this.segIdx];
    return seg && seg.from <= now && now < seg.to ? seg : undefined;
  }

  /** Re-evaluates at every segment boundary of the plan, one job at a time. */
  private watchSegments(): void {
    const seg = this.segmentAt(this.ctx.scheduler.now());
    if (seg && seg.to < this.ctx.planTo) {
      this.ctx.scheduler.at(seg.to, () => {
        this.evaluate();
        this.watchSegments();
      });
    }
  }

  private compute(now: number): Desired {
    const seg = this.segmentAt(now);
    if (this.manual === 'killed') return { state: 'down', cause: 'killed', wire: 'disconnect' };
    if (this.powerCutAt !== null && now >= this.powerCutAt + this.batteryMs)
      return { state: 'down', cause: 'power', wire: 'disconnect' };
    if (seg?.state === 'down')
      return { state: 'down', cause: seg.cause ?? 'outage', wire: seg.wire ?? 'silent' };
    if (seg?.state === 'maintenance') return { state: 'maintenance' };
    if (this.manual === 'silenced') return { state: 'down', cause: 'silenced', wire: 'silent' };
    return { state: 'up' };
  }

  /** Brings the connection and the heartbeats in line with what the device should be doing now. */
  evaluate(): void {
    if (this.ctx.stopping()) return;
    const now = this.ctx.scheduler.now();
    const before = this.desired;
    const want = this.compute(now);
    this.desired = want;
    const rec = this.ctx.recorder;
    if (want.state === 'up') {
      if (before.state === 'down' && REBOOT_CAUSES.has(before.cause)) this.upSince = now;
      if (before.state === 'maintenance') this.upSince = now;
      rec.state(this.id, now, 'up');
      if (!this.client) this.connect();
      else if (!this.connected) this.reconnect();
      else if (before.state !== 'up') this.beatNow();
      return;
    }
    this.beatGen++;
    this.settle();
    if (want.state === 'maintenance') {
      rec.state(this.id, now, 'maintenance');
      // A technician switches the device off properly: it says goodbye, no last will.
      if (this.connected) this.disconnectGracefully();
      return;
    }
    rec.state(this.id, now, 'down', want.cause);
    if (want.wire === 'disconnect' && this.connected) this.dropSocket();
  }

  private settle(): void {
    if (this.isSettled) return;
    this.isSettled = true;
    this.ctx.settled(this.id);
  }

  private connect(): void {
    const id = this.id;
    const password = this.ctx.password(id);
    const client = mqtt.connect(this.ctx.mqttUrl, {
      clientId: id,
      username: id,
      ...(password !== undefined && { password }),
      ...(this.ctx.ca && { ca: this.ctx.ca }),
      ...(this.ctx.cert && this.ctx.key && { cert: this.ctx.cert, key: this.ctx.key }),
      clean: true,
      reconnectPeriod: 0,
      keepalive: this.ctx.keepaliveS,
      connectTimeout: 30_000,
      will: {
        topic: deviceTopic(id, 'status'),
        payload: Buffer.from(STATUS_OFFLINE),
        ...publishOptions('status'),
      },
    });
    this.client = client;
    this.ctx.stats.connects++;
    client.on('connect', () => this.onConnect());
    client.on('close', () => this.onClose());
    client.on('error', (err) => {
      this.ctx.stats.errors++;
      this.ctx.logger.warn({ err: err.message, deviceId: id }, 'mqtt error');
    });
  }

  private reconnect(): void {
    this.ctx.stats.connects++;
    this.client?.reconnect();
  }

  private onConnect(): void {
    const client = this.client!;
    this.connected = true;
    this.retryMs = 1000;
    this.ctx.stats.connected++;
    const id = this.id;
    const meta: DeviceMeta = {
      v: PROTOCOL_VERSION,
      kind: this.plan.device.kind,
      ...(this.plan.device.model && { model: this.plan.device.model }),
      ...(this.plan.device.firmware && { firmware: this.plan.device.firmware }),
    };
    client.publish(deviceTopic(id, 'status'), STATUS_ONLINE, publishOptions('status'));
    client.publish(deviceTopic(id, 'meta'), JSON.stringify(meta), publishOptions('meta'));
    // The plan may have changed while the connection was being set up.
    if (this.desired.state === 'up') this.beatNow();
    else if (this.desired.state === 'maintenance') this.disconnectGracefully();
    else if (this.desired.wire === 'disconnect') this.dropSocket();
  }

  private onClose(): void {
    if (this.connected) {
      this.connected = false;
      this.ctx.stats.connected--;
      this.ctx.recorder.cut(this.id, this.ctx.scheduler.now());
    }
    this.beatGen++;
    if (this.closingOnPurpose) {
      this.closingOnPurpose = false;
      return;
    }
    // Lost the connection without meaning to (broker gone, refused): retry with backoff while meant to be up.
    if (this.desired.state === 'up' && !this.ctx.stopping()) {
      const wait = this.retryMs * (0.5 + this.rng.next());
      this.retryMs = Math.min(30_000, this.retryMs * 2);
      this.ctx.scheduler.at(this.ctx.scheduler.now() + wait, () => {
        if (!this.connected && this.desired.state === 'up' && !this.ctx.stopping()) this.reconnect();
      });
    }
  }

  /** Abrupt: the socket dies without DISCONNECT, so the broker publishes the last will. */
  private dropSocket(): void {
    this.closingOnPurpose = true;
    this.client?.stream.destroy();
  }

  private disconnectGracefully(): void {
    const client = this.client;
    if (!client) return;
    this.closingOnPurpose = true;
    client.publish(deviceTopic(this.id, 'status'), STATUS_OFFLINE, publishOptions('status'), () => {
      client.end();
    });
  }

  /** Sends a heartbeat now and schedules the following slots. */
  private beatNow(): void {
    const gen = ++this.beatGen;
    const now = this.ctx.scheduler.now();
    // The slot we are in (its nominal time has just passed), so the next beat is due within one interval.
    const k = Math.max(this.lastSeq + 1, firstSlotFrom(this.plan, now) - 1);
    this.beat(gen, k);
  }

  private beat(gen: number, k: number): void {
    if (gen !== this.beatGen || !this.connected || this.ctx.stopping()) return;
    const client = this.client!;
    const now = this.ctx.scheduler.now();
    const active = activeFaults(this.plan.faults, now);
    if (this.powerCutAt !== null && this.batteryMs > 0 && !active.faults.includes('on_battery')) {
      const battery: FaultSpan = {
        from: this.powerCutAt,
        to: this.powerCutAt + this.batteryMs,
        fault: 'on_battery',
      };
      active.faults.push('on_battery');
      active.battery = battery;
    }
    const hb = buildHeartbeat({
      plan: this.plan,
      planFrom: this.ctx.planFrom,
      t: now,
      seq: k,
      upSince: this.upSince,
      speed: this.ctx.speed,
      utcOffsetH: this.ctx.utcOffsetH,
      rng: this.rng,
      active,
    });
    this.lastSeq = k;
    client.publish(deviceTopic(this.id, 'hb'), JSON.stringify(hb), publishOptions('hb'), (err) => {
      if (err) return;
      this.ctx.stats.heartbeats++;
      this.ctx.recorder.heartbeat(this.id, hb.ts);
      this.settle();
    });
    const next = Math.max(now + 1, slotTime(this.plan, this.ctx.seed, k + 1));
    this.ctx.scheduler.at(next, () => this.beat(gen, k + 1));
  }

  /** Says `offline` (retained) and disconnects cleanly; resolves when done. */
  async stop(): Promise<void> {
    this.beatGen++;
    const client = this.client;
    if (!client) return;
    this.closingOnPurpose = true;
    if (this.connected) {
      // Bounded: a broker that has gone away must not hang Ctrl-C.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3000);
        client.publish(deviceTopic(this.id, 'status'), STATUS_OFFLINE, publishOptions('status'), () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await client.endAsync(true).catch(() => undefined);
  }
}
