import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('HUB_PUBLIC_MQTT_URL', () => {
  it('is empty by default: the agent command keeps the dashboard host and the broker port', () => {
    expect(loadConfig({}).config.publicMqttUrl).toBe('');
  });

  it.each([
    'mqtt://mqtt.xa-hoangkim.vn:1883',
    'mqtts://mqtt.xa-hoangkim.vn:8883',
    'mqtts://hub.example',
    'mqtt://10.0.0.5:1883/',
    'mqtt://[fd00::5]:1883',
  ])('accepts %s', (url) => {
    expect(loadConfig({ HUB_PUBLIC_MQTT_URL: url }).config.publicMqttUrl).toBe(url);
  });

  it.each([
    'http://hub.example:1883',
    'hub.example:1883',
    'mqtt://',
    'mqtt://hub example:1883',
    'mqtt://hub.example:1883/topic',
    "mqtt://hub.example;rm -rf /'",
  ])('refuses %j with HUB_ERR_CONFIG naming the setting', (url) => {
    expect(() => loadConfig({ HUB_PUBLIC_MQTT_URL: url })).toThrow(
      expect.objectContaining({
        code: 'HUB_ERR_CONFIG',
        message: expect.stringContaining('HUB_PUBLIC_MQTT_URL'),
      }),
    );
  });
});
