import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { guess, hostsOf, parseCidr, toImportCsv } from '../discover.ts';
import { checkContent } from '../probes/http.ts';
import { icmpResult, parseFpingOutput } from '../probes/icmp.ts';
import { codecFromSdp } from '../probes/rtsp.ts';
import { authorizationFor, parseTextResponse } from '../probes/rtsp-client.ts';

describe('fping output', () => {
  it('reads per-host samples, lost pings as null', () => {
    const out = parseFpingOutput(
      '10.0.0.1     : 0.51 - 0.47\n10.0.0.2 : - - -\nICMP Host Unreachable from x\n',
    );
    expect(out.get('10.0.0.1')).toEqual([0.51, null, 0.47]);
    expect(out.get('10.0.0.2')).toEqual([null, null, null]);
  });
  const cases: Array<[Array<number | null>, object]> = [
    [[1, 2, 3], { health: 'ok', metrics: { reachable: true, rttMs: 2, lossPct: 0 } }],
    [
      [1, null, 3],
      { health: 'degraded', faults: ['packet_loss'], metrics: { reachable: true, rttMs: 2, lossPct: 33 } },
    ],
    [[null, null], { health: 'fault', faults: ['unreachable'], metrics: { reachable: false, lossPct: 100 } }],
    [[], { health: 'fault', faults: ['unreachable'] }],
  ];
  for (const [samples, expected] of cases) {
    it(`${JSON.stringify(samples)}`, () => expect(icmpResult(samples)).toMatchObject(expected));
  }
});

describe('SDP codec', () => {
  const cases: Array<[string, string | undefined]> = [
    ['v=0\r\nm=audio 0 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n', 'H264'],
    ['m=video 0 RTP/AVP 98\na=rtpmap:98 H265/90000\n', 'H265'],
    ['m=video 0 RTP/AVP 26\r\n', 'JPEG'],
    ['m=audio 0 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n', undefined],
    ['garbage', undefined],
  ];
  for (const [sdp, codec] of cases)
    it(`${JSON.stringify(sdp.slice(0, 30))} → ${codec}`, () => expect(codecFromSdp(sdp)).toBe(codec));
});

describe('HTTP expected content', () => {
  const body = '{"status":{"amp":"ok","zones":4}}';
  it.each([
    [{ expectText: 'amp' }, true],
    [{ expectText: 'fault' }, false],
    [{ expectJsonField: 'status.zones' }, true],
    [{ expectJsonField: 'status.zones', expectValue: '4' }, true],
    [{ expectJsonField: 'status.amp', expectValue: 'fault' }, false],
    [{ expectJsonField: 'status.missing' }, false],
  ])('%j → %s', (expect_, result) => expect(checkContent(body, expect_)).toBe(result));
  it('a body that is not JSON fails a JSON field', () =>
    expect(checkContent('<html>', { expectJsonField: 'a' })).toBe(false));
});

describe('RTSP/SIP text responses and auth', () => {
  it('parses a complete response and waits for an incomplete one', () => {
    const full = Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: 4\r\n\r\nv=0\n');
    expect(parseTextResponse(full, 'RTSP')).toMatchObject({ status: 200, body: 'v=0\n' });
    expect(parseTextResponse(full.subarray(0, 30), 'RTSP')).toBeUndefined();
    expect(() => parseTextResponse(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), 'RTSP')).toThrow(
      /bad status line|not RTSP/,
    );
    expect(() => parseTextResponse(Buffer.from('\x00\xffgarbage-garbage'), 'SIP')).toThrow(/not SIP/);
  });
  it('answers a Digest challenge per RFC 2617 (no qop) and a Basic one', () => {
    const header = authorizationFor('Digest realm="cam", nonce="abc"', 'DESCRIBE', 'rtsp://h/s', 'u', 'p')!;
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const expected = md5(`${md5('u:cam:p')}:abc:${md5('DESCRIBE:rtsp://h/s')}`);
    expect(header).toContain(`response="${expected}"`);
    expect(authorizationFor('Basic realm="x"', 'OPTIONS', 'u', 'a', 'b')).toBe(
      `Basic ${Buffer.from('a:b').toString('base64')}`,
    );
    // Both offered: Digest wins.
    expect(
      authorizationFor('Basic realm="x"\nDigest realm="r", nonce="n", qop="auth"', 'GET', '/', 'a', 'b'),
    ).toMatch(/^Digest .*qop=auth/);
  });
});

describe('discovery ranges', () => {
  it('parses CIDRs, lists only host addresses inside the range', () => {
    expect(hostsOf(parseCidr('127.0.0.0/30'))).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(hostsOf(parseCidr('192.168.1.77/24'))).toHaveLength(254);
    expect(hostsOf(parseCidr('10.0.0.5/32'))).toEqual(['10.0.0.5']);
    expect(() => parseCidr('192.168.1.0')).toThrow(/CIDR/);
    expect(() => parseCidr('192.168.1.300/24')).toThrow(/not a valid/);
  });
  it('guesses the kind from what answered, and writes the import CSV with name and village blank', () => {
    const base = { address: '10.0.0.9', icmp: true, rtsp: false, http: false, https: false, snmp: false };
    expect(guess({ ...base, rtsp: true, http: true })).toMatchObject({ kind: 'camera', probe: 'rtsp' });
    expect(guess({ ...base, snmp: true })).toMatchObject({ kind: 'wifi', probe: 'snmp' });
    expect(guess({ ...base, https: true })).toMatchObject({ kind: 'loudspeaker', probe: 'http', port: 443 });
    expect(guess(base)).toMatchObject({ kind: 'display', probe: 'icmp' });
    expect(toImportCsv([{ ...base, rtsp: true }])).toBe(
      'id,kind,name,village,parent,probe_type,probe_address,probe_port\ncamera-10-0-0-9,camera,,,,rtsp,10.0.0.9,554\n',
    );
  });
});
