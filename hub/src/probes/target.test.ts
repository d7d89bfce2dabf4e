import { describe, expect, it } from 'vitest';
import { HubError } from '../errors.ts';
import { open, parseProbeKey, seal } from './crypto.ts';
import { checkTarget, joinSecrets, splitSecrets, toView } from './target.ts';

const base = { address: '10.0.0.5', intervalS: 60 };

describe('checkTarget: what each probe type needs, refusals name the field', () => {
  const refused: Array<[string, unknown, string]> = [
    ['unknown type', { ...base, type: 'telnet' }, 'type'],
    ['malformed address', { ...base, type: 'icmp', address: '10.0.0.256' }, 'address'],
    ['address with a space', { ...base, type: 'icmp', address: 'cam 1' }, 'address'],
    ['port 0', { ...base, type: 'tcp', port: 0 }, 'port'],
    ['port 70000', { ...base, type: 'tcp', port: 70000 }, 'port'],
    ['interval below 10 s', { ...base, type: 'icmp', intervalS: 5 }, 'intervalS'],
    ['tcp without port', { ...base, type: 'tcp' }, 'port'],
    ['snmp without settings', { ...base, type: 'snmp' }, 'snmp'],
    ['v2c without community', { ...base, type: 'snmp', snmp: { version: '2c' } }, 'snmp.community'],
    ['v3 without user', { ...base, type: 'snmp', snmp: { version: '3' } }, 'snmp.user'],
    [
      'v3 privacy without auth',
      { ...base, type: 'snmp', snmp: { version: '3', user: 'u', privKey: '12345678' } },
      'snmp.authKey',
    ],
    ['expectText on rtsp', { ...base, type: 'rtsp', expectText: 'x' }, 'expectText'],
    ['expectValue without field', { ...base, type: 'http', expectValue: 'ok' }, 'expectValue'],
    ['password without user', { ...base, type: 'rtsp', password: 'p' }, 'username'],
    ['path without slash', { ...base, type: 'http', path: 'status' }, 'path'],
    ['unknown field', { ...base, type: 'icmp', colour: 'red' }, '(body)'],
  ];
  for (const [name, input, field] of refused) {
    it(`refuses ${name} (field ${field})`, () => {
      try {
        checkTarget(input);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(HubError);
        expect((err as HubError).code).toBe('HUB_ERR_PROBE_CONFIG');
        if (field !== '(body)') expect((err as { field: string }).field).toBe(field);
        expect((err as Error).message).toContain('probe config field');
      }
    });
  }

  const accepted: Array<[string, unknown]> = [
    ['icmp by IP', { ...base, type: 'icmp' }],
    [
      'http by host name with JSON field',
      { ...base, type: 'http', address: 'loa.ubnd.local', expectJsonField: 'a.b', expectValue: '1' },
    ],
    [
      'rtsp with credentials',
      { ...base, type: 'rtsp', port: 554, path: '/Streaming/Channels/101', username: 'v', password: 'p' },
    ],
    [
      'snmp v3 authPriv',
      { ...base, type: 'snmp', snmp: { version: '3', user: 'u', authKey: '12345678', privKey: '12345678' } },
    ],
    ['sip over tcp', { ...base, type: 'sip', transport: 'tcp' }],
  ];
  for (const [name, input] of accepted) {
    it(`accepts ${name}`, () => expect(checkTarget(input)).toEqual(input));
  }
});

describe('secrets', () => {
  const target = {
    type: 'snmp' as const,
    address: '10.0.0.9',
    intervalS: 60,
    snmp: { version: '3' as const, user: 'u', authKey: 'auth-key-1', privKey: 'priv-key-1', vendor: 'unifi' },
  };
  it('split and join round-trip; the view names the secrets set, never their values', () => {
    const { publicPart, secrets } = splitSecrets(target);
    expect(JSON.stringify(publicPart)).not.toContain('key-1');
    expect(joinSecrets(publicPart, secrets)).toEqual(target);
    const view = toView('ap-1', 'gw-1', target, 0);
    expect(view.secretsSet).toEqual(['authKey', 'privKey']);
    expect(JSON.stringify(view)).not.toContain('key-1');
  });

  it('AES-256-GCM: opens with the key and the same device id only', () => {
    const key = parseProbeKey('0f'.repeat(32))!;
    const sealed = seal(key, 'secret-text', 'cam-1');
    expect(sealed).not.toContain('secret-text');
    expect(open(key, sealed, 'cam-1')).toBe('secret-text');
    expect(() => open(key, sealed, 'cam-2')).toThrow(HubError);
    expect(() => open(parseProbeKey('1f'.repeat(32))!, sealed, 'cam-1')).toThrow(HubError);
  });

  it('HUB_PROBE_KEY: empty is no key, 64 hex or base64 of 32 bytes is a key, anything else HUB_ERR_CONFIG', () => {
    expect(parseProbeKey('')).toBeUndefined();
    expect(parseProbeKey('ab'.repeat(32))?.length).toBe(32);
    expect(parseProbeKey(Buffer.alloc(32, 7).toString('base64'))?.length).toBe(32);
    expect(() => parseProbeKey('too-short')).toThrow(/HUB_PROBE_KEY/);
    expect(() => parseProbeKey('ab'.repeat(16))).toThrow(/HUB_PROBE_KEY/);
  });
});
