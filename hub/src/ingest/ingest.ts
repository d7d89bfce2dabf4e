import { TextDecoder } from 'node:util';
import {
  type DeviceChannel,
  DeviceEvent,
  DeviceMeta,
  Heartbeat,
  MAX_PAYLOAD_BYTES,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from '@commune-hub/protocol';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events/bus.ts';
import type { LivenessTracker } from '../liveness/tracker.ts';
import type { Logger } from '../logger.ts';
import type { HubMetrics } from '../metrics.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import type { HeartbeatRow, TimeSeriesStore } from '../store/types.ts';
import type { UptimeService } from '../uptime/service.ts';
import { RecentSeqs } from './recent-seqs.ts';
import { RejectLog } from './reject-log.ts';

const heartbeatCheck = TypeCompiler.Compile(Heartbeat);
const metaCheck = TypeCompiler.Compile(DeviceMeta);
const eventCheck = TypeCompiler.Compile(DeviceEvent);
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

export type IngestResult =
  | { ok: true; use?: 'live' | 'history' }
  | { ok: false; reason: RejectReason; detail?: string };

export interface IngestOptions {
  maxClockAheadMs: number;
  maxAgeMs: number;
}

/**
 * Turns a device's MQTT payload into state: size, UTF-8, JSON, schema, clock and duplicate checks,
 * then liveness and the store. Synchronous, so by the time the broker acknowledges a QoS 1 publish
 * the heartbeat is in the store's write buffer. Never throws on device input.
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
    private readonly events?: EventBus,
  ) {
    this.rejectLog = new RejectLog(logger, () => clock.now());
  }

  /** `closing`: the message is the last will of a connection that is going away. */
  handle(deviceId: string, channel: DeviceChannel, payload: Buffer, closing: boolean): IngestResult {
    const result = this.dispatch(deviceId, channel, payload, closing);
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
    if (channel === 'status') return this.status(device, text, closing);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return { ok: false, reason: 'invalid_json', detail: (err as Error).message };
    }
    switch (channel) {
      case 'hb':
        return this.heartbeat(device, body);
      case 'meta':
        return metaCheck.Check(body) ? { ok: true } : this.schemaError(metaCheck, body);
      case 'event':
        return eventCheck.Check(body) ? { ok: true } : this.schemaError(eventCheck, body);
    }
  }

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

  private status(device: DeviceRecord, text: string, closing: boolean): IngestResult {
    if (text === STATUS_ONLINE) return { ok: true };
    if (text === STATUS_OFFLINE) {
      // The last will of a dropped connection is a disconnect; an `offline` the device sends itself is a shutdown.
      this.liveness.disconnect(device.id, !closing);
      return { ok: true };
    }
    return { ok: false, reason: 'bad_status', detail: text.slice(0, 32) };
  }

  private heartbeat(device: DeviceRecord, body: unknown): IngestResult {
    if (!heartbeatCheck.Check(body)) return this.schemaError(heartbeatCheck, body);
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
    const row: HeartbeatRow = {
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
    // Only build and deliver the event when someone listens (alerts): the hot path stays as cheap without them.
    if (this.events && this.events.listenerCount('heartbeat.accepted') > 0)
      this.events.emit('heartbeat.accepted', { device, row, use });
    return { ok: true, use };
  }
}
