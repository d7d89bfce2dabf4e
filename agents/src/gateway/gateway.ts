import {
  deviceTopic,
  type Heartbeat,
  publishOptions,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from '@commune-hub/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { type Clock, type Scheduler, systemClock, systemScheduler, type TimerHandle } from '../clock.ts';
import { type AgentConfig, mqttTlsOptions } from '../config.ts';
import { assertValidHeartbeat, buildHeartbeat } from '../heartbeat.ts';
import { createAgentLogger, type Logger } from '../logger.ts';
import { ProbeConfigStore } from './config-store.ts';
import type { ChildProbeResult } from './probes/types.ts';
import { type ChildOutcome, ProbeRunner } from './runner.ts';
import { loadVendorMap, type VendorOid } from './snmp-vendors.ts';

export interface GatewayOptions {
  /** Most probes in flight at once. */
  concurrency: number;
  /** Default probe timeout (ms). */
  probeTimeoutMs: number;
  /** How often the gateway looks for due children (ms); each child keeps its own interval. */
  tickMs: number;
  pingCount: number;
  vendors?: ReadonlyMap<string, VendorOid>;
  fping?: string;
}

export const GATEWAY_DEFAULTS: GatewayOptions = {
  concurrency: 64,
  probeTimeoutMs: 5000,
  tickMs: 5000,
  pingCount: 3,
};

export interface GatewayDeps {
  logger?: Logger;
  clock?: Clock;
  scheduler?: Scheduler;
}

export interface CycleReport {
  probed: ChildOutcome[];
  cycleMs: number;
  ownHeartbeat?: Heartbeat;
}

/**
 * Gateway mode of the agent: takes its children's probe configuration from its retained `cmd` topic,
 * probes each child at its interval and publishes the child's heartbeat under the child's id (protocol
 * v1: the hub lets a gateway publish for its registered children). Its own heartbeat reports how many
 * children it probes, the last cycle's duration and the config revision; a config it cannot use is
 * refused, the last good one stays in force and its heartbeat says `probe_config_invalid`.
 * Child heartbeats are published at QoS 1 but not spooled: a probe result is only worth sending live.
 */
export class GatewayAgent {
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly store: ProbeConfigStore;
  private readonly runner: ProbeRunner;
  private readonly startedAt: number;
  private client: MqttClient | undefined;
  private timer: TimerHandle | undefined;
  private running: Promise<CycleReport> | undefined;
  private rerun = false;
  private stopping = false;
  private seqs = new Map<string, number>();
  private lastCycleMs = 0;
  private lastOwnAt = 0;
  private connectedBefore = false;
  private readonly cycleListeners = new Set<(report: CycleReport) => void>();

  constructor(
    private readonly config: AgentConfig,
    private readonly options: GatewayOptions = GATEWAY_DEFAULTS,
    deps: GatewayDeps = {},
  ) {
    this.log = (deps.logger ?? createAgentLogger(config.logLevel)).child({
      module: 'gateway',
      deviceId: config.id,
    });
    this.clock = deps.clock ?? systemClock;
    this.scheduler = deps.scheduler ?? systemScheduler;
    this.startedAt = this.clock.now();
    this.store = new ProbeConfigStore(config.id);
    this.runner = new ProbeRunner({
      concurrency: options.concurrency,
      timeoutMs: options.probeTimeoutMs,
      pingCount: options.pingCount,
      vendors: options.vendors ?? loadVendorMap(),
      now: () => this.clock.now(),
      fping: options.fping,
    });
  }

  get probeConfig() {
    return this.store.config;
  }

  /** Why the last config received was refused (the last good one is still in force), if it was. */
  get configInvalid(): string | undefined {
    return this.store.invalid;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Called after every cycle (tests wait on it instead of sleeping). */
  onCycle(listener: (report: CycleReport) => void): () => void {
    this.cycleListeners.add(listener);
    return () => this.cycleListeners.delete(listener);
  }

  start(): void {
    const { config } = this;
    const statusTopic = deviceTopic(config.id, 'status');
    const cmdTopic = deviceTopic(config.id, 'cmd');
    const client = mqtt.connect(config.hubUrl, {
      clientId: config.id,
      username: config.id,
      password: config.secret,
      ...mqttTlsOptions(config),
      clean: true,
      keepalive: config.keepaliveS,
      reconnectPeriod: config.reconnectMs,
      reconnectOnConnackError: true,
      connectTimeout: 30_000,
      will: { topic: statusTopic, payload: Buffer.from(STATUS_OFFLINE), ...publishOptions('status') },
    });
    this.client = client;
    client.on('connect', () => {
      this.log.info({ hub: config.hubUrl }, 'gateway connected');
      client.publish(statusTopic, STATUS_ONLINE, publishOptions('status'));
      client.subscribe(cmdTopic, { qos: 1 }, (err) => {
        if (err) this.log.error({ err }, 'could not subscribe to the command topic');
      });
      // The hub took every child offline (parent_down) when this connection dropped: probe them all now,
      // so a short outage costs them the outage, not up to one more interval.
      if (this.connectedBefore) {
        this.runner.makeAllDue();
        void this.cycle();
      }
      this.connectedBefore = true;
    });
    client.on('message', (topic, payload) => {
      if (topic === cmdTopic) this.onConfig(payload);
    });
    client.on('error', (err) => this.log.warn({ err }, 'MQTT connection problem; retrying'));
    this.timer = this.scheduler.setInterval(() => void this.cycle(), this.options.tickMs);
  }

  /**
   * One cycle: probe the children that are due, publish their heartbeats, then the gateway's own when
   * its interval elapsed. A cycle asked for while one runs runs right after it (a new config).
   */
  cycle(): Promise<CycleReport> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.runCycle()
      .catch((err: unknown) => {
        this.log.error({ err }, 'probe cycle failed');
        return { probed: [], cycleMs: 0 } satisfies CycleReport;
      })
      .finally(() => {
        this.running = undefined;
        if (this.rerun && !this.stopping) {
          this.rerun = false;
          void this.cycle();
        }
      });
    return this.running;
  }

  /** Clean stop: `offline` for the gateway (the hub then takes its children offline, reason `parent_down`). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer !== undefined) this.scheduler.clearInterval(this.timer);
    await this.running;
    const client = this.client;
    if (client?.connected) {
      await client
        .publishAsync(deviceTopic(this.config.id, 'status'), STATUS_OFFLINE, publishOptions('status'))
        .catch(() => {});
      await client.endAsync();
    } else await client?.endAsync(true);
  }

  /** Drops the connection without a goodbye, as a crash or a power cut would (the broker sends the will). */
  async kill(): Promise<void> {
    this.stopping = true;
    if (this.timer !== undefined) this.scheduler.clearInterval(this.timer);
    const client = this.client;
    // Destroying the socket (not DISCONNECT) is what makes the broker publish the last will.
    (client as unknown as { stream?: { destroy(): void } } | undefined)?.stream?.destroy();
    await client?.endAsync(true);
  }

  private onConfig(payload: Buffer): void {
    const outcome = this.store.offer(payload);
    if (!outcome.accepted) {
      this.log.warn({ reason: outcome.reason }, 'probe config refused; keeping the last good one');
      return;
    }
    this.log.info(
      { rev: outcome.config.rev, children: outcome.config.children.length },
      'probe config accepted',
    );
    // New or changed children are due now: probe them without waiting for the next tick.
    void this.cycle();
  }

  private async runCycle(): Promise<CycleReport> {
    const started = this.clock.now();
    const t0 = performance.now();
    const due = this.runner.due(this.store.config, started);
    const probed = due.length > 0 ? await this.runner.run(due) : [];
    const cycleMs = Math.round(performance.now() - t0);
    if (due.length > 0) this.lastCycleMs = cycleMs;
    for (const outcome of probed) this.publishChild(outcome, started);
    let ownHeartbeat: Heartbeat | undefined;
    if (started - this.lastOwnAt >= this.config.intervalS * 1000 - 500) {
      this.lastOwnAt = started;
      ownHeartbeat = this.publishOwn(started);
    }
    const report: CycleReport = { probed, cycleMs, ...(ownHeartbeat && { ownHeartbeat }) };
    for (const listener of this.cycleListeners) listener(report);
    return report;
  }

  private nextSeq(id: string, now: number): number {
    // Starts from the clock so a restarted gateway never repeats a (device, seq) the hub has seen.
    const seq = Math.max((this.seqs.get(id) ?? 0) + 1, Math.floor(now / 1000));
    this.seqs.set(id, seq);
    return seq;
  }

  private publishChild(outcome: ChildOutcome, ts: number): void {
    const { result } = outcome;
    const up = result.upS ?? (ts - outcome.firstProbedAt) / 1000;
    this.publishHeartbeat(outcome.id, this.heartbeatOf(result, ts, this.nextSeq(outcome.id, ts), up));
  }

  private publishOwn(ts: number): Heartbeat {
    const config = this.store.config;
    const invalid = this.store.invalid;
    const own: ChildProbeResult = {
      metrics: {
        probeChildren: config?.children.length ?? 0,
        probeCycleMs: this.lastCycleMs,
        probeConfigRev: config?.rev ?? 0,
        agentUpS: Math.round((ts - this.startedAt) / 1000),
      },
      faults: invalid ? ['probe_config_invalid'] : [],
      health: invalid ? 'degraded' : 'ok',
    };
    const heartbeat = this.heartbeatOf(
      own,
      ts,
      this.nextSeq(this.config.id, ts),
      (ts - this.startedAt) / 1000,
    );
    this.publishHeartbeat(this.config.id, heartbeat);
    return heartbeat;
  }

  private heartbeatOf(result: ChildProbeResult, ts: number, seq: number, up: number): Heartbeat {
    const heartbeat = buildHeartbeat({
      ts,
      seq,
      up,
      results: [{ metrics: result.metrics, faults: result.faults }],
    });
    heartbeat.st = result.health;
    return heartbeat;
  }

  private publishHeartbeat(id: string, heartbeat: Heartbeat): void {
    try {
      assertValidHeartbeat(heartbeat);
    } catch (err) {
      this.log.error({ err, deviceId: id }, 'built an invalid heartbeat; not sent');
      return;
    }
    const client = this.client;
    if (!client?.connected) return;
    client.publish(deviceTopic(id, 'hb'), JSON.stringify(heartbeat), publishOptions('hb'), (err) => {
      if (err) this.log.debug({ err, deviceId: id }, 'heartbeat not acknowledged');
    });
  }
}
