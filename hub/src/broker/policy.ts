import { DEVICE_CHANNELS, type DeviceChannel, deviceTopic, parseDeviceTopic } from '@commune-hub/protocol';

export type PublishDecision =
  | { allow: true; deviceId: string; channel: DeviceChannel }
  | { allow: false; reason: 'sys_topic' | 'foreign_topic' | 'bad_topic' | 'command_topic' };

const DEVICE_CHANNEL_SET: ReadonlySet<string> = new Set(DEVICE_CHANNELS);

/**
 * Who may publish where: a device only under its own id (a gateway also under its registered
 * children's), only on device channels, never `$SYS`.
 * Pure, so the broker hooks stay one line and the rules have their own tests.
 */
export function decidePublish(
  clientId: string,
  topic: string,
  /** True when `deviceId` is a registered child of the gateway `clientId` (an agentless camera, say). */
  isChildOf: (deviceId: string, gatewayId: string) => boolean = () => false,
): PublishDecision {
  if (topic.startsWith('$')) return { allow: false, reason: 'sys_topic' };
  const parsed = parseDeviceTopic(topic);
  if (!parsed) return { allow: false, reason: 'bad_topic' };
  if (parsed.deviceId !== clientId && !isChildOf(parsed.deviceId, clientId)) {
    return { allow: false, reason: 'foreign_topic' };
  }
  if (!DEVICE_CHANNEL_SET.has(parsed.channel)) return { allow: false, reason: 'command_topic' };
  return { allow: true, deviceId: parsed.deviceId, channel: parsed.channel as DeviceChannel };
}

/** A device may subscribe only to its own command topic. */
export function maySubscribe(clientId: string, topic: string): boolean {
  return topic === deviceTopic(clientId, 'cmd');
}
