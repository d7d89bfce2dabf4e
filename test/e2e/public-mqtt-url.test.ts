import type { StartedHub } from '@commune-hub/hub';
import { afterEach, describe, expect, it } from 'vitest';
import { agentCommand, brokerUrlForDevices } from '../../web/src/features/manage/index.ts';
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
    const command = agentCommand({
      hub: brokerUrlForDevices(h, 'hub.xa.vn'),
      id: 'd1',
      kind: 'wifi',
      secret: 's',
    });
    expect(command).not.toContain('--ca');
  });

  it('with it: /healthz says it and the command uses it', async () => {
    const hub = await startTestHub({ publicMqttUrl: 'mqtts://mqtt.xa-hoangkim.vn:8883' });
    hubs.push(hub);
    const h = await health(hub);
    expect(h.mqttUrl).toBe('mqtts://mqtt.xa-hoangkim.vn:8883');
    expect(brokerUrlForDevices(h, 'hub.xa.vn')).toBe('mqtts://mqtt.xa-hoangkim.vn:8883');
    // An mqtts:// broker: the command names the commune CA's file (the dashboard's hint says where it comes from).
    expect(
      agentCommand({ hub: brokerUrlForDevices(h, 'hub.xa.vn'), id: 'd1', kind: 'wifi', secret: 's' }),
    ).toBe(
      'HUB_AGENT_SECRET=s npm run agent -- --hub mqtts://mqtt.xa-hoangkim.vn:8883 --ca /etc/commune-hub/ca.pem --id d1 --kind wifi',
    );
  });
});
