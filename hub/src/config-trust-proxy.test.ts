import { describe, expect, it } from 'vitest';
import { loadConfig, trustProxySetting } from './config.ts';

describe('HUB_TRUST_PROXY', () => {
  it.each([
    ['false', false],
    ['', false],
    ['true', true],
    ['TRUE', true],
    ['127.0.0.1', ['127.0.0.1']],
    ['127.0.0.1, 10.0.0.0/8', ['127.0.0.1', '10.0.0.0/8']],
    ['fd00::/8,::1', ['fd00::/8', '::1']],
  ] as const)('%j → %j', (value, want) => {
    expect(trustProxySetting(value)).toEqual(want);
  });

  it.each(['yes please', '10.0.0.0/33', '300.1.1.1', 'proxy.local', '10.0.0.1/8/1', ',', '::1/129'])(
    'refuses %j naming the setting',
    (value) => {
      expect(() => trustProxySetting(value)).toThrow(/HUB_TRUST_PROXY/);
    },
  );

  it('is off by default, and a bad value stops the boot with HUB_ERR_CONFIG', () => {
    expect(trustProxySetting(loadConfig({}).config.trustProxy)).toBe(false);
    expect(() => loadConfig({ HUB_TRUST_PROXY: '10.0.0.0/99' })).toThrow(
      expect.objectContaining({ code: 'HUB_ERR_CONFIG' }),
    );
    expect(loadConfig({ HUB_TRUST_PROXY: '127.0.0.1' }).config.trustProxy).toBe('127.0.0.1');
  });
});
