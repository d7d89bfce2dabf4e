import net from 'node:net';
import tls from 'node:tls';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import client from 'prom-client';
import { type Clock, systemTimers, type Timers } from '../clock.ts';
import type { BrokerClusterParts } from '../cluster/transport.ts';
import type { EventBus } from '../events/bus.ts';
import type { Ingest, IngestResult } from '../ingest/ingest.ts';
import { RejectLog } from '../ingest/reject-log.ts';
import type { Logger } from '../logger.ts';
import type { HubMetrics } from '../metrics.ts';
import type { Registry } from '../registry/registry.ts';
import type { GroupCommit } from '../store/group-commit.ts';
import type { TlsReloader } from '../tls.ts';
import { AuthGuard, type AuthGuardLimits } from './auth-guard.ts';
import { gateConnect, type PeekedConnect } from './connect-gate.ts';
import { DEFAULT_HASH_LANES, type HashLaneLimits, HashLanes } from './hash-lanes.ts';
import { guardPacketSize } from './packet-guard.ts';
import { warmPacketWriter } from './packet-writer.ts';
import { decidePublish, maySubscribe } from './policy.ts';
import { RateLimiter } from './rate-limit.ts';
import { guardClientSubscribes } from './subscribe-guard.ts';
import { type Emitter, type SubscriptionLookup, skipUplink, skipUplinkLookups } from './uplink.ts';

export interface BrokerOptions {
  host: string;
  port: number;
  ratePerS: number;
  rateBurst: number;
  /** MQTT over TLS next to (or, with `port: null`, instead of) the plain listener. */
  tls?: { port: number; options: tls.TlsOptions; reloader: TlsReloader };
  /** Plain MQTT off (only with TLS). */
  plainOff?: boolean;
  connectTimeoutMs?: number;
  authLimits?: AuthGuardLimits;
  /** The lane for hashes of ids or addresses that already failed (./hash-lanes.ts). */
  hashLanes?: HashLaneLimits;
  /** Cluster mode: aedes on the shared Redis emitter and persistence, with the node id as broker id. */
  cluster?: BrokerClusterParts;
}

interface BrokerDeps {
  clock: Clock;
  /** The connect gate's timer (./connect-gate.ts); the system's when not given. */
  timers?: Timers;
  registry: Registry;
  ingest: Ingest;
  /** The broker says when connections open and close, and closes them when a device is disabled or rotated. */
  events: EventBus;
  metrics: HubMetrics;
  logger: Logger;
  /** Holds QoS 1 acknowledgements until their rows are committed: a PUBACK means stored. */
  commits: GroupCommit;
}

/** No device message comes near this (payloads are ≤ 4 KiB); larger packets are cut off at their header. */
const MAX_PACKET_BYTES = 64 * 1024;

/** A device subscribes to its own command topic: a handful of filters is already generous. */
const MAX_SUBSCRIBE_FILTERS = 8;

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function remoteAddress(client: Client | undefined): string {
  const conn = (client as (Client & { conn?: { remoteAddress?: string } }) | undefined)?.conn;
  return conn?.remoteAddress ?? 'unknown';
}

/** aedes reports these by message only. */
export function connectionErrorReason(err: Error): string {
  if (/connect did not arrive in time/.test(err.message)) return 'connect_timeout';
  if (/queue limit/.test(err.message)) return 'queue_before_connack';
  return 'malformed_packet';
}

/**
 * One error per (return code, message), made once: under a storm of refused CONNECTs, capturing a stack
 * trace per refusal was 2.5 % of the hub's main thread (BENCHMARKS.md, issue 14). aedes only reads
 * `returnCode` and sets `errorCode` to the same value each time, so sharing the object is safe.
 */
const authErrors = new Map<string, AuthenticateError>();
function authError(returnCode: number, message: string): AuthenticateError {
  const key = `${returnCode} ${message}`;
  let err = authErrors.get(key);
  if (!err) {
    err = new Error(message) as AuthenticateError;
    err.returnCode = returnCode;
    authErrors.set(key, err);
  }
  return err;
}

/** aedes on TCP with the hub's policy in its hooks: authenticate, authorizePublish, authorizeSubscribe. */
export class MqttBroker {
  private aedes: Aedes | undefined;
  private server: net.Server | undefined;
  private tlsServer: tls.Server | undefined;
  /** Connections refused or closed before they became a device session, by reason (registered on /metrics). */
  readonly connectionErrors = new client.Counter({
    name: 'hub_mqtt_connection_errors_total',
    help: 'MQTT connections closed before or outside a session: connect_timeout, queue_before_connack, malformed_packet, tls_handshake',
    labelNames: ['reason'] as const,
    registers: [],
  });
  /** Secret checks (scrypt) by lane: `clean` (no failure yet for the id or address) or `suspect`. */
  readonly secretChecks = new client.Counter({
    name: 'hub_mqtt_secret_checks_total',
    help: 'MQTT secrets hashed (scrypt), by lane: clean (first try of an id and address with no failures) or suspect (its own bounded lane)',
    labelNames: ['lane'] as const,
    registers: [],
  });
  /** Set while the hub shuts down: wills of the connections it closes itself are not device events. */
  private stopping = false;
  /** Connections whose end was already announced (by an `offline` status or will): once per connection. */
  private readonly announced = new WeakSet<Client>();
  /** The client whose publish ingest is handling right now (ingest is synchronous). */
  private publishing: Client | undefined;
  private unsubscribe: Array<() => void> = [];
  /** Secret checks by lane: clean ones straight to the thread pool, suspect ones a bounded few at a time. */
  readonly hashLanes: HashLanes;
  /** Cluster mode: local connections aedes closes because the device connected to another node. */
  private readonly takenOver = new WeakSet<Client>();

  constructor(
    private readonly options: BrokerOptions,
    private readonly deps: BrokerDeps,
  ) {
    this.hashLanes = new HashLanes(options.hashLanes ?? DEFAULT_HASH_LANES);
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** The MQTTS port (0 when TLS is not configured). */
  get tlsPort(): number {
    const address = this.tlsServer?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get connectedClients(): number {
    return this.aedes?.connectedClients ?? 0;
  }

  async start(): Promise<void> {
    const { registry, ingest, metrics, logger, clock, events } = this.deps;
    // Kept per device id across connections: reconnecting does not refill the budget (finding 5).
    const limiter = new RateLimiter(this.options.ratePerS, this.options.rateBurst, () => clock.now());
    const guard = new AuthGuard(
      this.options.authLimits ?? { perId: 5, perAddress: 20, backoffMaxMs: 300_000 },
    );
    // Every refusal is counted; it is logged at most once per (client, reason) per minute, so a device
    // stuck in a reconnect loop with a wrong secret cannot flood the log.
    const rejectLog = new RejectLog(logger, () => clock.now());
    const authFailed = (clientId: string, reason: string) => {
      metrics.mqttAuthFailures.inc({ reason });
      rejectLog.warn(clientId.slice(0, 64), `auth_${reason}`);
    };
    const denied = (
      clientId: string,
      action: string,
      reason: string,
      detail: Record<string, unknown> = {},
    ) => {
      metrics.mqttDenied.inc({ action, reason });
      rejectLog.warn(clientId.slice(0, 64), `${action}_${reason}`, detail);
    };
    const cluster = this.options.cluster;
    if (cluster) this.watchTakeovers(cluster);
    // Before any device: the packet writer's first packet costs 70–100 ms of this loop (./packet-writer.ts).
    warmPacketWriter();
    const aedes = await Aedes.createBroker({
      ...(cluster && { id: cluster.id, mq: cluster.mq as never, persistence: cluster.persistence as never }),
      maxClientsIdLength: 64,
      maxTopicLevels: 8,
      connectTimeout: this.options.connectTimeoutMs ?? 30_000,
      authenticate: (client, username, password, done) => {
        if (!username || username !== client.id) {
          authFailed(client.id, 'client_id_mismatch');
          return done(authError(4, 'username must equal the client id (the device id)'), false);
        }
        if (!registry.get(username)) {
          authFailed(client.id, 'unknown_device');
          return done(authError(4, 'unknown device'), false);
        }
        const address = remoteAddress(client);
        if (!password) {
          authFailed(client.id, 'bad_secret');
          guard.failed(username, address, clock.now());
          return done(authError(4, 'wrong secret'), false);
        }
        const secret = password.toString('utf8');
        // A secret this device already proved costs a SHA-256, not a scrypt: the real device gets in even
        // while a storm of wrong secrets has its id blocked (and its login does not reset the storm's count).
        if (registry.secretAlreadyVerified(username, secret)) return done(null, true);
        const verdict = guard.verdict(username, address, clock.now());
        if (verdict !== 'hash') {
          authFailed(client.id, verdict === 'blocked_id' ? 'throttled_id' : 'throttled_address');
          return done(authError(4, 'too many wrong secrets, try later'), false);
        }
        // Hashes of ids or addresses that already failed wait in their own lane (./hash-lanes.ts), so a
        // real device's first hash does not queue behind a storm's on libuv's threads.
        const suspect = guard.suspect(username, address, clock.now());
        if (suspect && this.hashLanes.suspectFull) {
          authFailed(client.id, 'throttled_busy');
          return done(authError(3, 'too many secret checks waiting, try later'), false);
        }
        guard.started(username, address, clock.now());
        this.secretChecks.inc({ lane: suspect ? 'suspect' : 'clean' });
        this.hashLanes
          .run(suspect, () => registry.checkSecret(username, secret))
          .then(
            (ok) => {
              guard.settled(username, address, ok, clock.now());
              if (ok) return done(null, true);
              authFailed(client.id, 'bad_secret');
              done(authError(4, 'wrong secret'), false);
            },
            (err: unknown) => {
              guard.settled(username, address, null, clock.now());
              logger.error({ err, deviceId: client.id }, 'secret check failed');
              done(authError(3, 'server unavailable'), false);
            },
          );
      },
      authorizePublish: (client, packet, done) => {
        if (!client) return done(null);
        // Refused, not acknowledged: nothing is ingested any more, so a PUBACK would be a lie. The device
        // keeps the message and sends it again to the next hub.
        if (this.stopping) return done(new Error('the hub is stopping'));
        // The last will of a connection another node took over: the device lives on there, so its `offline`
        // must neither end its liveness nor replace the retained status every node shares.
        if (client.closed && this.takenOver.has(client)) return done(new Error('connection taken over'));
        const decision = decidePublish(
          client.id,
          packet.topic,
          (deviceId, gatewayId) => registry.get(deviceId)?.parentId === gatewayId,
        );
        if (!decision.allow) {
          denied(client.id, 'publish', decision.reason, { topic: packet.topic.slice(0, 200) });
          return done(new Error(`publish refused: ${decision.reason}`));
        }
        if (!limiter.take(client.id)) {
          metrics.ingestRejected.inc({ reason: 'rate_limited' });
          // Acknowledged but dropped: disconnecting would only make a flooding client reconnect and flood again.
          return done(null);
        }
        this.publishing = client;
        let result: IngestResult;
        try {
          result = ingest.handle(
            decision.deviceId,
            decision.channel,
            packet.payload as Buffer,
            client.closed,
          );
        } finally {
          this.publishing = undefined;
        }
        if (packet.qos === 0 || !result.ackAfterCommit) return done(null);
        // aedes sends the PUBACK when `done` is called (handlers/publish.js: authorizePublish, then
        // enqueuePublish writes it). If the commit failed, done(err) makes aedes close the connection
        // without a PUBACK: the device resends after reconnecting, and the store keeps retrying the batch.
        this.deps.commits.afterCommit((err) => done(err ? new Error(`not stored: ${err.message}`) : null));
      },
      authorizeSubscribe: (client, sub, done) => {
        if (client && maySubscribe(client.id, sub.topic)) return done(null, sub);
        denied(client?.id ?? '', 'subscribe', 'not_own_command_topic', { topic: sub.topic.slice(0, 200) });
        done(null, null);
      },
    });
    aedes.on('clientDisconnect', (client: Client) => {
      // A session taken over by a newer connection of the same device is not a disconnect.
      const current = (aedes as Aedes & { clients: Record<string, Client> }).clients[client.id];
      if (this.stopping || (current && current !== client) || this.takenOver.has(client)) return;
      const graceful = (client as Client & { _disconnected?: boolean })._disconnected === true;
      this.announceClosed(client, graceful);
    });
    aedes.on('client', (client: Client) => {
      if (!this.stopping) events.emit('connection.opened', { deviceId: client.id, at: clock.now() });
    });
    this.unsubscribe = [
      events.on('device.disabled', ({ device }) => this.disconnectClient(device.id)),
      events.on('device.secretRotated', ({ deviceId }) => this.disconnectClient(deviceId)),
    ];
    const connectionError = (client: Client | undefined, err: Error): void => {
      const reason = connectionErrorReason(err);
      this.connectionErrors.inc({ reason });
      if (reason === 'malformed_packet') metrics.ingestRejected.inc({ reason: 'malformed_packet' });
      rejectLog.warn(client?.id || remoteAddress(client), reason, { err: err.message });
    };
    aedes.on('clientError', (client: Client, err: Error) => {
      // aedes refuses topics deeper than maxTopicLevels itself, before authorizePublish: count it here.
      if (/too many levels/.test(err.message)) {
        denied(client.id, 'publish', 'topic_too_deep');
        return;
      }
      // Packets queued before CONNACK (a client that does not wait for it) end the connection: say so.
      if (/queue limit/.test(err.message)) return connectionError(client, err);
      logger.debug({ deviceId: client.id, err }, 'mqtt client error');
    });
    aedes.on('connectionError', (client: Client, err: Error) => connectionError(client, err));
    // aedes reports its own failures (cluster mode: the shared persistence unreachable while it looks for
    // dead brokers' wills) as 'error'; unheard, that would end the process.
    (aedes as unknown as NodeJS.EventEmitter).on('error', (err: Error) =>
      logger.warn({ err: err.message }, 'mqtt broker error'),
    );
    // One node: aedes' own emitter skips device uplink topics too (the cluster's is wrapped in transport.ts).
    if (!cluster) {
      const own = aedes as unknown as { mq: Emitter; persistence: SubscriptionLookup };
      own.mq = skipUplink(own.mq);
      skipUplinkLookups(own.persistence);
    }
    this.aedes = aedes;
    // A CONNECT the auth budget refuses anyway is refused before aedes builds a client for it (the largest
    // cost of a refused CONNECT on the hub's main thread: ./connect-gate.ts). Same count, same CONNACK code.
    const refuseEarly = (connect: PeekedConnect, address: string): boolean => {
      const { clientId, username, password } = connect;
      if (!username || username !== clientId || clientId.length > 64 || !password) return false;
      if (!registry.get(username)) return false;
      if (registry.secretAlreadyVerified(username, password.toString('utf8'))) return false;
      const verdict = guard.verdict(username, address, clock.now());
      if (verdict === 'hash') return false;
      authFailed(clientId, verdict === 'blocked_id' ? 'throttled_id' : 'throttled_address');
      return true;
    };
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 30_000;
    const handle = (socket: net.Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      gateConnect(
        socket,
        (connect) => refuseEarly(connect, address),
        () => attach(socket),
        connectTimeoutMs,
        () => {
          this.connectionErrors.inc({ reason: 'connect_timeout' });
          rejectLog.warn(address, 'connect_timeout', { err: 'connect did not arrive in time' });
        },
        this.deps.timers ?? systemTimers,
      );
    };
    const attach = (socket: net.Socket) => {
      guardPacketSize(socket, MAX_PACKET_BYTES, (declared) => {
        denied(socket.remoteAddress ?? 'unknown', 'packet', 'oversized', { declared });
      });
      const client = aedes.handle(socket) as unknown as Client;
      // SUBSCRIBE with many or repeated filters is refused whole (MQTT 3.1.1 wants one SUBACK code per
      // filter; aedes merges repeats), counted and logged.
      guardClientSubscribes(client, MAX_SUBSCRIBE_FILTERS, (c, filters) =>
        denied(c.id ?? remoteAddress(c), 'subscribe', 'too_many_filters', { filters }),
      );
    };
    if (!this.options.plainOff) {
      const server = net.createServer(handle);
      this.server = server;
      await listen(server, this.options.port, this.options.host);
    }
    if (this.options.tls) {
      const tlsServer = tls.createServer(this.options.tls.options, handle);
      tlsServer.on('tlsClientError', (err, socket) => {
        this.connectionErrors.inc({ reason: 'tls_handshake' });
        rejectLog.warn(socket.remoteAddress ?? 'unknown', 'tls_handshake', { err: err.message });
      });
      this.options.tls.reloader.add(tlsServer);
      this.tlsServer = tlsServer;
      await listen(tlsServer, this.options.tls.port, this.options.host);
    }
  }

  /**
   * A device that reconnects to another node: aedes there announces it on `$SYS/<node>/new/clients` and
   * aedes here closes the old connection. That is a move, not a disconnect: the new node acts for the
   * device now. Subscribed before aedes' own handler (the emitter is ours until aedes takes it), so the
   * connection is marked before aedes closes it.
   */
  private watchTakeovers(cluster: BrokerClusterParts): void {
    const mq = cluster.mq as {
      on(topic: string, fn: (packet: { topic: string; payload: Buffer }, done: () => void) => void): void;
    };
    mq.on('$SYS/+/new/clients', (packet, done) => {
      const nodeId = packet.topic.split('/')[1];
      const clients = (this.aedes as (Aedes & { clients: Record<string, Client> }) | undefined)?.clients;
      const local = clients?.[packet.payload.toString()];
      if (nodeId !== cluster.id && local) this.takenOver.add(local);
      done();
    });
  }

  private announceClosed(client: Client, graceful: boolean): void {
    if (this.announced.has(client)) return;
    this.announced.add(client);
    this.deps.events.emit('connection.closed', { deviceId: client.id, at: this.deps.clock.now(), graceful });
  }

  /**
   * Ingest heard `offline` for a device: its own goodbye (`graceful`) or its last will. On the device's own
   * connection this is that connection's end, and the socket closing afterwards adds nothing. Said by a
   * gateway for a child, it is the child's only connection event.
   */
  deviceOffline(deviceId: string, graceful: boolean): void {
    if (this.stopping) return;
    const client = this.publishing;
    if (client && client.id === deviceId) this.announceClosed(client, graceful);
    else this.deps.events.emit('connection.closed', { deviceId, at: this.deps.clock.now(), graceful });
  }

  /** Publishes from the hub itself, retained at QoS 1 (a gateway's probe config on its `cmd` topic). */
  publishRetained(topic: string, payload: string): Promise<void> {
    const aedes = this.aedes;
    if (!aedes || this.stopping) return Promise.resolve();
    return new Promise((resolve, reject) => {
      aedes.publish(
        { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: true, dup: false },
        (err?: Error | null) => (err ? reject(err) : resolve()),
      );
    });
  }

  /** Closes a device's connection (it was disabled or its secret rotated). */
  disconnectClient(id: string): void {
    const client = (this.aedes as (Aedes & { clients: Record<string, Client> }) | undefined)?.clients[id];
    client?.close();
  }

  async stop(): Promise<void> {
    const server = this.server;
    const tlsServer = this.tlsServer;
    const aedes = this.aedes;
    this.server = undefined;
    this.tlsServer = undefined;
    this.aedes = undefined;
    // Closing aedes closes every client connection; their disconnects are the hub's shutdown, not the devices'.
    this.stopping = true;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    if (aedes) {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    }
    for (const s of [server, tlsServer]) {
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }
}
