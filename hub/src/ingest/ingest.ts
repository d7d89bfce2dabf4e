import { TextDecoder } from 'node:util';
import {
  type Channels,
  channels,
  type DeviceChannel,
  MAX_PAYLOAD_BYTES,
  STATUS_OFFLINE,
} from '@commune-hub/protocol';
import type { Static } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events/bus.ts';
import type { LivenessTracker } from '../liveness/tracker.ts';
import type { Logger } from '../logger.ts';
import type { HubMetrics } from '../metrics.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import type { TimeSeriesStore } from '../store/types.ts';
import type { UptimeService } from '../uptime/service.ts';
import { RecentSeqs } from './recent-seqs.ts';
import { RejectLog } from './reject-log.ts';

type Payload<C extends DeviceChannel> = Static<Channels[C]['schema']>;
/** One compiled check per channel of protocol's channel map: the map, not this file, says what a payload is. */
const checks = Object.fromEntries(
  Object.entries(channels).map(([channel, spec]) => [channel, TypeCompiler.Compile(spec.schema)]),
) as unknown as { [C in DeviceChannel]: TypeCheck<Channels[C]['schema']> };
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type RejectReason =
  | 'oversized'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'schema'
  | 'clock_ahead'
  | 'too_old'
  | 'duplicate'
  | 'unknown_device'
  | 'bad_status';

export type IngestResult = (
  | { ok: true; use?: 'live' | 'history' }
  | { ok: false; reason: RejectReason; detail?: string }
) & {
  /**
   * The message wrote rows (heartbeat, coverage, a transition) or repeats one that may still be uncommitted
   * (a duplicate): its QoS 1 acknowledgement waits for the group commit (../store/group-commit.ts).
   */
  ackAfterCommit?: boolean;
};

export interface IngestOptions {
  maxClockAheadMs: number;
  maxAgeMs: number;
  /**
   * A device said `offline` (`graceful`: itself; otherwise its last will). The broker turns it into one
   * `connection.closed` per connection, so a will and the socket's close are not two disconnects.
   */
  onOffline: (deviceId: string, graceful: boolean) => void;
  /** Where `heartbeat.accepted` goes (emitted only while someone listens, to keep the hot path lean). */
  events?: EventBus;
}

/**
 * Turns a device's MQTT payload into state: size, UTF-8, JSON, schema, clock and duplicate checks,
 * then liveness and the store. Synchronous: rows land in the stores' write buffers, and the result's
 * `ackAfterCommit` tells the broker to hold the QoS 1 acknowledgement until they are committed.
 * Never throws on device input.
 */
export class Ingest {
  private readonly recent = new RecentSeqs();
  private readonly rejectLog: RejectLog;

  constructor(
    private readonly clock: Clock,
    private readonly lookup: (id: string) => DeviceRecord | undefined,
    private readonly liveness: LivenessTracker,
    private readonly store: TimeSeriesStore,
    private readonly uptime: UptimeService,
    private readonly metrics: HubMetrics,
    logger: Logger,
    private readonly options: IngestOptions,
  ) {
    this.rejectLog = new RejectLog(logger, () => clock.now());
  }

  /** `closing`: the message is the last will of a connection that is going away. */
  handle(deviceId: string, channel: DeviceChannel, payload: Buffer, closing: boolean): IngestResult {
    const result: IngestResult = this.dispatch(deviceId, channel, payload, closing);
    // A resent duplicate is acknowledged only after the commit that stores its first copy.
    if (result.ok ? channel === 'hb' || channel === 'status' : result.reason === 'duplicate') {
      result.ackAfterCommit = true;
    }
    if (result.ok) {
      this.metrics.ingestAccepted.inc({ channel, use: result.use ?? 'live' });
    } else {
      this.metrics.ingestRejected.inc({ reason: result.reason });
      if (result.reason !== 'duplicate') {
        this.rejectLog.warn(deviceId, result.reason, { channel, detail: result.detail });
      }
    }
    return result;
  }

  private dispatch(
    deviceId: string,
    channel: DeviceChannel,
    payload: Buffer,
    closing: boolean,
  ): IngestResult {
    const device = this.lookup(deviceId);
    if (!device) return { ok: false, reason: 'unknown_device' };
    if (payload.length > MAX_PAYLOAD_BYTES) {
      return { ok: false, reason: 'oversized', detail: `${payload.length} bytes > ${MAX_PAYLOAD_BYTES}` };
    }
    let text: string;
    try {
      text = utf8.decode(payload);
    } catch {
      return { ok: false, reason: 'invalid_utf8' };
    }
    let body: unknown = text;
    if (channels[channel].encoding === 'json') {
      try {
        body = JSON.parse(text);
      } catch (err) {
        return { ok: false, reason: 'invalid_json', detail: (err as Error).message };
      }
    }
    const check: TypeCheck<Channels[DeviceChannel]['schema']> = checks[channel];
    if (!check.Check(body)) {
      return channel === 'status'
        ? { ok: false, reason: 'bad_status', detail: text.slice(0, 32) }
        : this.schemaError(check, body);
    }
    return this.accept[channel](device, body as never, closing);
  }

  /** What each channel does with a payload that passed its schema. */
  private readonly accept: {
    [C in DeviceChannel]: (device: DeviceRecord, payload: Payload<C>, closing: boolean) => IngestResult;
  } = {
    hb: (device, hb) => this.heartbeat(device, hb),
    status: (device, status, closing) => this.status(device, status, closing),
    meta: () => ({ ok: true }),
    event: () => ({ ok: true }),
  };

  private schemaError(
    check: { Errors(v: unknown): Iterable<{ path: string; message: string }> },
    body: unknown,
  ) {
    const first = check.Errors(body)[Symbol.iterator]().next().value;
    return {
      ok: false as const,
      reason: 'schema' as const,
      detail: first ? `${first.path} ${first.message}` : '',
    };
  }

  private status(device: DeviceRecord, status: Payload<'status'>, closing: boolean): IngestResult {
    if (status === STATUS_OFFLINE) {
      // The last will of a dropped connection is a disconnect; an `offline` the device sends itself is a shutdown.
      this.options.onOffline(device.id, !closing);
    }
    return { ok: true };
  }

  private heartbeat(device: DeviceRecord, body: Payload<'hb'>): IngestResult {
    const now = this.clock.now();
    if (body.ts > now + this.options.maxClockAheadMs) {
      return { ok: false, reason: 'clock_ahead', detail: `ts ${body.ts - now} ms ahead of the hub` };
    }
    if (body.ts < now - this.options.maxAgeMs) {
      return { ok: false, reason: 'too_old', detail: `ts ${now - body.ts} ms behind the hub` };
    }
    if (!this.recent.add(device.id, body.seq, body.ts)) return { ok: false, reason: 'duplicate' };
    const faults = body.faults ?? [];
    const use = this.liveness.heartbeat(device.id, {
      ts: body.ts,
      seq: body.seq,
      st: body.st,
      m: body.m,
      faults,
    });
    this.uptime.recordHeartbeat(device, body.ts);
    const row = {
      deviceId: device.id,
      kind: device.kind,
      village: device.village,
      ts: body.ts,
      receivedAt: now,
      seq: body.seq,
      up: body.up,
      st: body.st,
      m: body.m,
      faults,
      late: use === 'history',
    };
    this.store.writeHeartbeats([row]);
    const events = this.options.events;
    if (events && events.listenerCount('heartbeat.accepted') > 0) {
      events.emit('heartbeat.accepted', { device, row, use });
    }
    return { ok: true, use };
  }
}
