import { type TSchema, Type } from '@sinclair/typebox';
import { DeviceEvent, DeviceMeta, Heartbeat } from './messages.ts';
import { DEVICE_QOS, type DeviceChannel, STATUS_OFFLINE, STATUS_ONLINE } from './topics.ts';

/**
 * The MQTT contract, one entry per device channel (`commune/v1/{id}/{channel}`): what the payload is,
 * with which QoS and retain flag it is published, and who publishes it. The hub's ingest validates by
 * this map, and the agent and the simulators publish by it, so a new channel is added here once.
 */
export interface ChannelSpec {
  /** `json`: a JSON document checked against `schema`; `text`: a plain UTF-8 string (one of `schema`'s literals). */
  encoding: 'json' | 'text';
  schema: TSchema;
  qos: 0 | 1 | 2;
  retain: boolean;
  direction: 'device-to-hub' | 'hub-to-device';
  summary: string;
}

/** Payload of `status`: plain strings, so a shell agent can send them. */
export const StatusPayload = Type.Union([Type.Literal(STATUS_ONLINE), Type.Literal(STATUS_OFFLINE)]);

export const channels = {
  hb: {
    encoding: 'json',
    schema: Heartbeat,
    qos: DEVICE_QOS,
    retain: false,
    direction: 'device-to-hub',
    summary: 'heartbeat, every intervalS seconds',
  },
  status: {
    encoding: 'text',
    schema: StatusPayload,
    qos: DEVICE_QOS,
    retain: true,
    direction: 'device-to-hub',
    summary: '`online` after connecting; `offline` as last will or before a clean shutdown',
  },
  meta: {
    encoding: 'json',
    schema: DeviceMeta,
    qos: DEVICE_QOS,
    retain: true,
    direction: 'device-to-hub',
    summary: 'what the device is (kind, model, firmware, capabilities)',
  },
  event: {
    encoding: 'json',
    schema: DeviceEvent,
    qos: DEVICE_QOS,
    retain: false,
    direction: 'device-to-hub',
    summary: 'a discrete fault or happening',
  },
} as const satisfies Record<DeviceChannel, ChannelSpec>;

export type Channels = typeof channels;

/** MQTT publish options of a channel, as MQTT.js takes them: `client.publish(topic, payload, publishOptions('hb'))`. */
export function publishOptions(channel: DeviceChannel): { qos: 0 | 1 | 2; retain: boolean } {
  const spec: ChannelSpec = channels[channel];
  return { qos: spec.qos, retain: spec.retain };
}
