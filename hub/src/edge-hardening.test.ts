import {
  escapeControlCharacters,
  firstControlCharacter,
  isPlainText,
  neutralizeFormula,
} from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { parseRange, parseTime, parseWindow } from './api/time-range.ts';
import { AuthGuard } from './broker/auth-guard.ts';
import { loadConfig } from './config.ts';
import { newCredentialsBulk, verifySecret } from './registry/secrets.ts';

describe('the one time-range check', () => {
  const now = Date.UTC(2026, 10, 30);
  it.each([
    ['0', 0],
    ['1764460800000', 1764460800000],
    ['2026-11-30', Date.UTC(2026, 10, 30)],
    ['2026-11-30T07:00:00+07:00', Date.UTC(2026, 10, 30)],
  ])('accepts %s', (value, ms) => expect(parseTime(value, 'from')).toBe(ms));
  it.each([
    ['99999999999999999999', 'out of range'],
    ['4102444800000', 'out of range'],
    ['+275760-09-13T00:00:00Z', 'ISO 8601'],
    ['yesterday', 'ISO 8601'],
    ['-5', 'ISO 8601'],
    ['1e12', 'ISO 8601'],
  ])('refuses %s', (value, why) => expect(() => parseTime(value, 'to')).toThrow(why));
  it('defaults, orders and bounds a range', () => {
    expect(parseRange({}, now)).toEqual({ from: now - 86_400_000, to: now });
    expect(() => parseRange({ from: '2026-12-01', to: '2026-11-01' }, now)).toThrow('after');
    expect(() => parseWindow({ from: '2026-11-01', to: '2026-11-01' })).toThrow('end after it starts');
    expect(parseRange({ from: '0' }, now)).toEqual({ from: 0, to: now });
  });
});

describe('plain text and exports (finding 9)', () => {
  it.each([
    ['Loa cụm thôn 1 – "UBND"', true],
    ['=HYPERLINK("x")', true],
    ['a\tb', false],
    ['a\nb', false],
    ['\u001b[31m', false],
    ['nul\u0000', false],
    ['c1\u0085', false],
    ['rtl\u202Eexe', false],
    ['isolate\u2066x\u2069', false],
  ])('%j plain: %s', (text, plain) => expect(isPlainText(text)).toBe(plain));
  it('names the character and escapes it for a terminal', () => {
    expect(firstControlCharacter('ab\u202Ec')).toBe('U+202E');
    expect(escapeControlCharacters('a\u001bb\u202E')).toBe('a\\u{1B}b\\u{202E}');
  });
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['Wifi 1', 'Wifi 1'],
  ])('neutralises %j', (text, out) => expect(neutralizeFormula(text)).toBe(out));
});

describe('documented example tokens (finding 7)', () => {
  it('refuses to start with one', () => {
    expect(() => loadConfig({}, { adminToken: 'change-me-admin-token' })).toThrow(/HUB_ADMIN_TOKEN.*example/);
    expect(() => loadConfig({ HUB_ADMIN_TOKEN: 'CHANGE-ME-ADMIN-TOKEN' })).toThrow('example');
    expect(() => loadConfig({ HUB_TLS_CERT: '/nonexistent.pem' })).toThrow('HUB_TLS_CERT and HUB_TLS_KEY');
    expect(loadConfig({ HUB_ADMIN_TOKEN: 'a-real-token-of-enough-length' }).config.metricsAccess).toBe(
      'loopback',
    );
  });
});

describe('auth-failure budget', () => {
  it('blocks an id past its budget with a doubling backoff, and an address past its own', () => {
    const guard = new AuthGuard({ perId: 2, perAddress: 5, backoffMaxMs: 4000 });
    let t = 0;
    guard.failed('a', 'ip', t);
    expect(guard.verdict('a', 'ip', t)).toBe('hash');
    guard.failed('a', 'ip', t);
    expect(guard.verdict('a', 'ip', t)).toBe('blocked_id');
    expect(guard.verdict('b', 'ip', t)).toBe('hash');
    t += 1000;
    expect(guard.verdict('a', 'ip', t)).toBe('hash');
    guard.failed('a', 'ip', t);
    expect(guard.verdict('a', 'ip', t + 1999)).toBe('blocked_id');
    expect(guard.verdict('a', 'ip', t + 2000)).toBe('hash');
    guard.failed('b', 'ip', t);
    guard.failed('c', 'ip', t);
    expect(guard.verdict('d', 'ip', t)).toBe('blocked_address');
    expect(guard.verdict('d', 'other', t)).toBe('hash');
  });
});

describe('auth-failure budget with hashes in flight', () => {
  it('counts hashes still running against the budget, and a right secret gives its place back', () => {
    const guard = new AuthGuard({ perId: 3, perAddress: 100, backoffMaxMs: 4000 });
    const t = 0;
    // Three CONNECTs for one id arrive before any hash finishes: the fourth must not start a hash.
    for (let i = 0; i < 3; i++) {
      expect(guard.verdict('a', `ip${i}`, t)).toBe('hash');
      guard.started('a', `ip${i}`, t);
    }
    expect(guard.verdict('a', 'ip9', t)).toBe('blocked_id');
    // One of them was the real device: its place comes back, the id's count starts again.
    guard.settled('a', 'ip0', true, t);
    guard.settled('a', 'ip1', false, t);
    expect(guard.verdict('a', 'ip9', t)).toBe('hash');
    // An unanswered check (store error) releases without counting.
    guard.started('b', 'ip5', t);
    guard.settled('b', 'ip5', null, t);
    expect(guard.tracked.ids).toBeGreaterThan(0);
    expect(guard.verdict('b', 'ip5', t)).toBe('hash');
  });

  it('does not count hashes in flight against an address: many real devices behind one NAT', () => {
    const guard = new AuthGuard({ perId: 5, perAddress: 20, backoffMaxMs: 4000 });
    for (let i = 0; i < 30; i++) {
      expect(guard.verdict(`dev-${i}`, 'nat', 0)).toBe('hash');
      guard.started(`dev-${i}`, 'nat', 0);
    }
    for (let i = 0; i < 30; i++) guard.settled(`dev-${i}`, 'nat', true, 1);
    expect(guard.verdict('dev-31', 'nat', 1)).toBe('hash');
  });

  it('after a backoff, lets one attempt through at a time', () => {
    const guard = new AuthGuard({ perId: 1, perAddress: 100, backoffMaxMs: 60_000 });
    guard.failed('a', 'ip', 0);
    expect(guard.verdict('a', 'ip', 500)).toBe('blocked_id');
    expect(guard.verdict('a', 'ip', 1000)).toBe('hash');
    guard.started('a', 'ip', 1000);
    expect(guard.verdict('a', 'ip2', 1001)).toBe('blocked_id');
    guard.settled('a', 'ip', false, 1010);
    expect(guard.verdict('a', 'ip2', 1011)).toBe('blocked_id');
    expect(guard.verdict('a', 'ip2', 1010 + 2000)).toBe('hash');
  });
});

describe('bulk imports hash on a bounded lane (finding 4)', () => {
  it("a device login's hash does not wait behind a 200-row import", async () => {
    const stored = (await newCredentialsBulk(1, 1))[0]!.hash;
    let hashed = 0;
    const bulk = newCredentialsBulk(200, 1, (n) => {
      hashed = n;
    });
    await verifySecret('a wrong secret', stored);
    const doneWhenLoginAnswered = hashed;
    await bulk;
    // With every import hash queued at once (the code before), the login came after about 197 of them.
    expect(doneWhenLoginAnswered).toBeLessThan(20);
  });
});
