import type { StartedHub } from '@commune-hub/hub';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerUrlForDevices } from '../../web/src/features/manage/index.ts';
import { startTestHub } from '../support/hub.ts';

/**
 * The agent command shown after adding a device names the broker the device must reach. When MQTT is
 * reached elsewhere than the dashboard (another host, TLS, NAT), HUB_PUBLIC_MQTT_URL says where, and
 * /healthz carries it to the dashboard; without it the command keeps the dashboard host and broker port.
 */
const hubs: StartedHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
});

const health = async (hub: StartedHub) =>
  (await (await fetch(`${hub.httpUrl}/healthz`)).json()) as { mqttPort?: number; mqttUrl?: string };

describe('HUB_PUBLIC_MQTT_URL on /healthz and in the agent command', () => {
  it('without it: no mqttUrl, and the command uses the dashboard host with the broker port', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const h = await health(hub);
    expect(h.mqttUrl).toBeUndefined();
    expect(h.mqttPort).toBe(Number(new URL(hub.mqttUrl).port));
    expect(brokerUrlForDevices(h, 'hub.xa.vn')).toBe(`mqtt://hub.xa.vn:${h.mqttPort}`);
  });

  it('with it: /healthz says it and the command uses it', async () => {
    const hub = await startTestHub({ publicMqttUrl: 'mqtts://mqtt.xa-hoangkim.vn:8883' });
    hubs.push(hub);
    const h = await health(hub);
    expect(h.mqttUrl).toBe('mqtts://mqtt.xa-hoangkim.vn:8883');
    expect(brokerUrlForDevices(h, 'hub.xa.vn')).toBe('mqtts://mqtt.xa-hoangkim.vn:8883');
  });
});
