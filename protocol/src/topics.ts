/**
 * MQTT topic scheme v1: `commune/v1/{deviceId}/{channel}`.
 * Kept free of any broker or client library so devices, hub, simulators and the web app share it.
 */
export const TOPIC_ROOT = 'commune/v1';

/** Channels a device publishes on, plus `cmd` which only the hub publishes (reserved for commands). */
export const DEVICE_CHANNELS = ['hb', 'status', 'meta', 'event'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];
export const COMMAND_CHANNEL = 'cmd';
export type Channel = DeviceChannel | typeof COMMAND_CHANNEL;

/**
 * Device ids double as MQTT client id, username and a topic level, so they may not contain
 * MQTT wildcards, separators or whitespace. Lower-case keeps ids unambiguous on paper forms.
 */
export const DEVICE_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';
const deviceIdRe = new RegExp(DEVICE_ID_PATTERN);

export function isValidDeviceId(id: string): boolean {
  return deviceIdRe.test(id);
}

export function deviceTopic(deviceId: string, channel: Channel): string {
  return `${TOPIC_ROOT}/${deviceId}/${channel}`;
}

export interface ParsedTopic {
  deviceId: string;
  channel: Channel;
}

const CHANNELS: ReadonlySet<string> = new Set<string>([...DEVICE_CHANNELS, COMMAND_CHANNEL]);

/** Parses a v1 topic; returns null for anything outside the scheme (wrong root, depth, id or channel). */
export function parseDeviceTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== 'commune' || parts[1] !== 'v1') return null;
  const deviceId = parts[2]!;
  const channel = parts[3]!;
  if (!isValidDeviceId(deviceId) || !CHANNELS.has(channel)) return null;
  return { deviceId, channel: channel as Channel };
}

/** Payloads of the retained `status` topic (and of the last will). Plain strings, so a shell agent can send them. */
export const STATUS_ONLINE = 'online';
export const STATUS_OFFLINE = 'offline';

/** QoS used for every device publication: heartbeats must not be lost between agent and hub. */
export const DEVICE_QOS = 1 as const;

/** Largest accepted payload on any device topic, in bytes. */
export const MAX_PAYLOAD_BYTES = 4096;
