import { type Static, Type } from '@sinclair/typebox';
import { DeviceKind, Metrics } from './device.ts';

export const PROTOCOL_VERSION = 1;

export const HealthState = Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('fault')]);
export type HealthState = Static<typeof HealthState>;

/**
 * `commune/v1/{id}/hb`, QoS 1, not retained. `ts` is the device's clock in epoch milliseconds; a heartbeat
 * sent late from a buffer keeps its original `ts`. `seq` increases by one per heartbeat and survives
 * restarts where the device can keep it (the hub ignores a repeated (device, seq)).
 */
export const Heartbeat = Type.Object(
  {
    v: Type.Literal(PROTOCOL_VERSION),
    ts: Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 }),
    seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    /** Seconds since the device (or agent) started. */
    up: Type.Number({ minimum: 0, maximum: 1e10 }),
    st: HealthState,
    m: Metrics,
    faults: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 16 })),
  },
  { additionalProperties: false },
);
export type Heartbeat = Static<typeof Heartbeat>;

/** `commune/v1/{id}/meta`, QoS 1, retained: what the device is. */
export const DeviceMeta = Type.Object(
  {
    v: Type.Literal(PROTOCOL_VERSION),
    kind: DeviceKind,
    model: Type.Optional(Type.String({ maxLength: 128 })),
    firmware: Type.Optional(Type.String({ maxLength: 128 })),
    capabilities: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 })),
  },
  { additionalProperties: false },
);
export type DeviceMeta = Static<typeof DeviceMeta>;

/** `commune/v1/{id}/event`, QoS 1: a discrete fault or happening (amplifier failure, stream lost, reboot). */
export const DeviceEvent = Type.Object(
  {
    v: Type.Literal(PROTOCOL_VERSION),
    ts: Type.Integer({ minimum: 0 }),
    type: Type.String({ minLength: 1, maxLength: 64 }),
    severity: Type.Optional(
      Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
    ),
    detail: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type DeviceEvent = Static<typeof DeviceEvent>;
