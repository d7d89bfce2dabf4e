import { describe, expect, it } from 'vitest';
import { startTestHub } from '../../test/support/hub.ts';
import { DEFAULT_HASH_LANES } from './broker/hash-lanes.ts';
import { loadConfig } from './config.ts';

describe('HUB_MQTT_SUSPECT_HASHES_RUNNING / _WAITING (the suspect lane, broker/hash-lanes.ts)', () => {
  it('default to the lane the storm bench was measured with: 1 running, 64 waiting', () => {
    const { config } = loadConfig({});
    expect([config.mqttSuspectHashesRunning, config.mqttSuspectHashesWaiting]).toEqual([1, 64]);
    expect(DEFAULT_HASH_LANES).toEqual({ concurrency: 1, queueMax: 64 });
  });

  it.each([
    [{ HUB_MQTT_SUSPECT_HASHES_RUNNING: '3' }, 3, 64],
    [{ HUB_MQTT_SUSPECT_HASHES_WAITING: '0' }, 1, 0],
    [{ HUB_MQTT_SUSPECT_HASHES_RUNNING: '2', HUB_MQTT_SUSPECT_HASHES_WAITING: '1000' }, 2, 1000],
  ])('accepts %j', (env, running, waiting) => {
    const { config } = loadConfig(env);
    expect([config.mqttSuspectHashesRunning, config.mqttSuspectHashesWaiting]).toEqual([running, waiting]);
  });

  it.each([
    ['HUB_MQTT_SUSPECT_HASHES_RUNNING', '0'],
    // Four would give the storm every one of libuv's threads again.
    ['HUB_MQTT_SUSPECT_HASHES_RUNNING', '4'],
    ['HUB_MQTT_SUSPECT_HASHES_RUNNING', '1.5'],
    ['HUB_MQTT_SUSPECT_HASHES_WAITING', '-1'],
    ['HUB_MQTT_SUSPECT_HASHES_WAITING', '1001'],
    ['HUB_MQTT_SUSPECT_HASHES_WAITING', 'many'],
  ])('refuses %s=%s with HUB_ERR_CONFIG naming the setting', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(
      expect.objectContaining({ code: 'HUB_ERR_CONFIG', message: expect.stringContaining(name) }),
    );
  });

  it('the broker`s lane takes its sizes from the settings', async () => {
    const hub = await startTestHub({ mqttSuspectHashesRunning: 2, mqttSuspectHashesWaiting: 7 });
    try {
      expect(hub.app.broker.hashLanes.limits).toEqual({ concurrency: 2, queueMax: 7 });
    } finally {
      await hub.close();
    }
  });
});
