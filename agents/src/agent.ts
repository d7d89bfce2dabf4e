import os from 'node:os';
import {
  channels,
  type DeviceMeta,
  deviceTopic,
  type Heartbeat,
  publishOptions,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import mqtt, { type MqttClient } from 'mqtt';
import { type Clock, type Scheduler, systemClock, systemScheduler, type TimerHandle } from './clock.ts';
import { type AgentConfig, mqttTlsOptions } from './config.ts';
import { AGENT_ERROR_CODES, AgentError } from './errors.ts';
import { assertValidHeartbeat, buildHeartbeat } from './heartbeat.ts';
import { createAgentLogger, type Logger } from './logger.ts';
import { collectMeta } from './meta.ts';
import { type Probe, type ProbeResult, probesForKind } from './probes/index.ts';
import { SpoolPublisher } from './publisher.ts';
import { SeqCounter } from './seq-counter.ts';
import { HeartbeatSpool } from './spool.ts';

export interface AgentDeps {
  logger?: Logger;
  clock?: Clock;
  scheduler?: Scheduler;
  /** Replaces the probes chosen by kind (tests use it to pin metrics). */
  probes?: Probe[];
  /** Seconds since the device booted; the host's uptime by default. */
  uptimeS?: () => number;
  /** Send a heartbeat as soon as the agent starts (default true) rather than one interval later. */
  immediateFirstTick?: boolean;
}

export interface AgentStats {
  connected: boolean;
  heartbeats: number;
  invalid: number;
  probeFailures: number;
  acked: number;
  inflight: number;
  spooled: number;
  dropped: number;
  corrupt: number;
  spoolIoErrors: number;
}

/** How long a clean stop waits for in-flight heartbeats and for the `offline` PUBACK. */
const STOP_GRACE_MS = 3000;
/** Repeated connection errors (hub down, wrong secret) are logged at most this often. */
const ERROR_LOG_EVERY_MS = 60_000;

/**
 * The device agent: every interval it runs its probes, builds a protocol heartbeat, writes it to the
 * spool and lets the publisher drain the spool to the hub. Announces `online` (retained) on every
 * connect, `offline` as last will and on a clean stop, and its `meta` (retained).
 */
export class DeviceAgent {
  private readonly config: AgentConfig;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly deps: AgentDeps;
  private readonly startedAt: number;
  private spool: HeartbeatSpool | undefined;
  private seq: SeqCounter | undefined;
  private probes: Probe[] = [];
  private client: MqttClient | undefined;
  private publisher: SpoolPublisher | undefined;
  private timer: TimerHandle | undefined;
  private currentTick: Promise<Heartbeat | undefined> | undefined;
  private meta: DeviceMeta | undefined;
  private stopping = false;
  private heartbeats = 0;
  private invalid = 0;
  private probeFailures = 0;
  private lastErrorLog = { key: '', at: 0 };

  constructor(config: AgentConfig, deps: AgentDeps = {}) {
    this.config = config;
    this.deps = deps;
    this.log = (deps.logger ?? createAgentLogger(config.logLevel)).child({
      module: 'agent',
      deviceId: config.id,
    });
    this.clock = deps.clock ?? systemClock;
    this.scheduler = deps.scheduler ?? systemScheduler;
    this.startedAt = this.clock.now();
  }

  /** Opens the spool, starts connecting (in the background: the agent spools while the hub is away) and the timer. */
  async start(): Promise<void> {
    const { config } = this;
    this.spool = new HeartbeatSpool({
      dir: config.spoolDir,
      maxEntries: config.spoolMaxEntries,
      maxBytes: config.spoolMaxBytes,
      logger: this.log,
    });
    this.spool.open();
    this.seq = new SeqCounter(config.spoolDir);
    this.seq.open(this.spool.maxSeq);
    this.probes =
      this.deps.probes ??
      probesForKind({
        kind: config.kind,
        expectProcesses: config.expectProcesses,
        portalUrl: config.portalUrl,
        portalTimeoutMs: config.portalTimeoutMs,
        clock: this.clock,
      });
    if (!['pc', 'kiosk'].includes(config.kind) && (config.expectProcesses.length > 0 || config.portalUrl)) {
      this.log.warn(
        { kind: config.kind },
        'process and portal probes run only for kinds pc and kiosk; ignored',
      );
    }

    const statusTopic = deviceTopic(config.id, 'status');
    this.client = mqtt.connect(config.hubUrl, {
      clientId: config.id,
      username: config.id,
      password: config.secret,
      ...mqttTlsOptions(config),
      clean: true,
      keepalive: config.keepaliveS,
      reconnectPeriod: config.reconnectMs,
      // A refused CONNACK (hub restarting, secret being re-provisioned) must not end the agent's retries.
      reconnectOnConnackError: true,
      connectTimeout: 30_000,
      will: { topic: statusTopic, payload: Buffer.from(STATUS_OFFLINE), ...publishOptions('status') },
    });
    this.publisher = new SpoolPublisher({
      client: this.client,
      spool: this.spool,
      topic: deviceTopic(config.id, 'hb'),
      window: config.inflightWindow,
      logger: this.log,
    });
    this.client.on('connect', () => this.onConnect());
    this.client.on('close', () => this.log.debug('connection closed'));
    this.client.on('offline', () => this.log.info('hub unreachable; heartbeats go to the spool'));
    this.client.on('error', (err) => this.onMqttError(err));

    this.timer = this.scheduler.setInterval(() => void this.tick(), config.intervalS * 1000);
    if (this.deps.immediateFirstTick ?? true) void this.tick();
  }

  /**
   * One heartbeat: probes → heartbeat → spool → publish. Skipped if the previous tick is still running
   * (a slow probe must not pile up ticks). Resolves to the heartbeat spooled, if any.
   */
  tick(): Promise<Heartbeat | undefined> {
    if (this.currentTick || this.stopping || !this.spool) return Promise.resolve(undefined);
    this.currentTick = this.runTick()
      .catch((err: unknown) => {
        // A tick must never take the agent down; the next one tries again.
        this.log.error({ err }, 'heartbeat tick failed');
        return undefined;
      })
      .finally(() => {
        this.currentTick = undefined;
      });
    return this.currentTick;
  }

  /** Publishes `offline`, waits briefly for in-flight heartbeats, disconnects. What is unsent stays spooled. */
  async stop(): Promise<void> {
    if (this.stopping || !this.client) return;
    this.stopping = true;
    if (this.timer !== undefined) this.scheduler.clearInterval(this.timer);
    await this.currentTick;
    const client = this.client;
    if (client.connected) {
      await this.publisher?.waitIdle(STOP_GRACE_MS);
      this.publisher?.stop();
      const published = await withTimeout(
        client.publishAsync(deviceTopic(this.config.id, 'status'), STATUS_OFFLINE, publishOptions('status')),
        STOP_GRACE_MS,
      );
      if (!published) this.log.warn('offline status not acknowledged before shutdown');
      await client.endAsync(!published);
    } else {
      this.publisher?.stop();
      await client.endAsync(true);
    }
    this.log.info(this.stats(), 'agent stopped');
  }

  get isConnected(): boolean {
    return this.client?.connected ?? false;
  }

  stats(): AgentStats {
    const spool = this.spool?.stats();
    const publisher = this.publisher?.stats();
    return {
      connected: this.isConnected,
      heartbeats: this.heartbeats,
      invalid: this.invalid,
      probeFailures: this.probeFailures,
      acked: publisher?.acked ?? 0,
      inflight: publisher?.inflight ?? 0,
      spooled: spool?.entries ?? 0,
      dropped: spool?.dropped ?? 0,
      corrupt: spool?.corrupt ?? 0,
      spoolIoErrors: spool?.ioErrors ?? 0,
    };
  }

  private async runTick(): Promise<Heartbeat | undefined> {
    const ts = this.clock.now();
    const results = await Promise.all(this.probes.map((probe) => this.runProbe(probe)));
    const uptimeS = this.deps.uptimeS ?? (() => os.uptime());
    const agentUp: ProbeResult = {
      metrics: { agentUpS: Math.round((ts - this.startedAt) / 1000) },
      faults: [],
    };
    const heartbeat = buildHeartbeat({
      ts,
      seq: this.seq!.next(),
      up: uptimeS(),
      results: [...results, agentUp],
    });
    try {
      assertValidHeartbeat(heartbeat);
    } catch (err) {
      this.invalid += 1;
      this.log.error(
        { err, invalidTotal: this.invalid, seq: heartbeat.seq },
        'built an invalid heartbeat; not sent',
      );
      return undefined;
    }
    this.spool!.append(heartbeat);
    this.heartbeats += 1;
    this.publisher!.pump();
    return heartbeat;
  }

  private async runProbe(probe: Probe): Promise<ProbeResult> {
    try {
      return await probe.collect();
    } catch (cause) {
      this.probeFailures += 1;
      const err = new AgentError(AGENT_ERROR_CODES.probe, `probe ${probe.name} failed`, { cause });
      this.log.warn({ err, probe: probe.name, probeFailures: this.probeFailures }, 'probe failed');
      return { metrics: {}, faults: [`probe_failed_${probe.name}`] };
    }
  }

  private onConnect(): void {
    const client = this.client!;
    this.log.info({ hub: this.config.hubUrl, spooled: this.spool!.size }, 'connected to hub');
    const status = deviceTopic(this.config.id, 'status');
    client.publish(status, STATUS_ONLINE, publishOptions('status'));
    void this.publishMeta();
    this.publisher!.pump();
  }

  private async publishMeta(): Promise<void> {
    try {
      this.meta ??= await collectMeta(
        this.config.kind,
        this.probes.map((p) => p.name),
      );
      if (!Value.Check(channels.meta.schema, this.meta))
        throw new Error('meta does not match the protocol schema');
      this.client!.publish(
        deviceTopic(this.config.id, 'meta'),
        JSON.stringify(this.meta),
        publishOptions('meta'),
      );
    } catch (err) {
      this.log.warn({ err }, 'could not publish meta');
    }
  }

  private onMqttError(err: Error & { code?: unknown }): void {
    // CONNACK codes 4 (bad user name or password) and 5 (not authorized): retrying will not help until
    // the secret is fixed, but the agent keeps spooling and retrying so nothing is lost meanwhile.
    const isAuth = err.code === 4 || err.code === 5 || err.code === 134 || err.code === 135;
    const code = isAuth ? AGENT_ERROR_CODES.auth : AGENT_ERROR_CODES.mqtt;
    const now = this.clock.now();
    const key = `${code}:${err.message}`;
    if (key === this.lastErrorLog.key && now - this.lastErrorLog.at < ERROR_LOG_EVERY_MS) return;
    this.lastErrorLog = { key, at: now };
    // An unreachable hub is routine for a field device (the spool covers it); refused credentials are not.
    if (isAuth) this.log.error({ err, code, hub: this.config.hubUrl }, 'hub refused the device credentials');
    else this.log.warn({ err, code, hub: this.config.hubUrl }, 'MQTT connection problem; retrying');
  }
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
