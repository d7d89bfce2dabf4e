import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeTarget } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHttp } from '../probes/http.ts';
import { probeIcmpBatch } from '../probes/icmp.ts';
import { probeRtsp } from '../probes/rtsp.ts';
import { probeSip } from '../probes/sip.ts';
import { probeSnmp } from '../probes/snmp.ts';
import { probeTcp } from '../probes/tcp.ts';
import type { ProbeContext } from '../probes/types.ts';
import { loadVendorMap } from '../snmp-vendors.ts';
import {
  RTSP_PASSWORD,
  RTSP_PATH,
  RTSP_USER,
  type RunningServer,
  SNMP_CLIENTS,
  SNMP_COMMUNITY,
  SNMP_V3,
  startBadTcp,
  startGarbageUdp,
  startHttpsServer,
  startKamailio,
  startRtspServer,
  startSnmpd,
} from './servers.ts';

const DAY_MS = 86_400_000;
const vendors = loadVendorMap();
const ctx = (overrides: Partial<ProbeContext> = {}): ProbeContext => ({
  timeoutMs: 3000,
  now: () => Date.now(),
  memory: new Map(),
  ...overrides,
});
const target = (t: Omit<ProbeTarget, 'address' | 'intervalS'> & Partial<ProbeTarget>): ProbeTarget => ({
  address: '127.0.0.1',
  intervalS: 10,
  ...t,
});

// Every probe against a real server of its protocol on loopback, started here from Debian packages.
describe('gateway probes against real servers', () => {
  const servers: RunningServer[] = [];
  let snmpd: RunningServer;
  let rtsp: RunningServer;
  let kamailio: RunningServer;
  let https30: RunningServer;
  let https5: RunningServer;

  beforeAll(async () => {
    [snmpd, rtsp, kamailio, https30, https5] = await Promise.all([
      startSnmpd(),
      startRtspServer(),
      startKamailio(),
      startHttpsServer(30),
      startHttpsServer(5),
    ]);
    servers.push(snmpd, rtsp, kamailio, https30, https5);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('RTSP: OPTIONS + DESCRIBE with Basic auth gives streamOk and the codec; a wrong password is auth_failed', async () => {
    const good = await probeRtsp(
      target({
        type: 'rtsp',
        port: rtsp.port,
        path: RTSP_PATH,
        username: RTSP_USER,
        password: RTSP_PASSWORD,
      }),
      ctx(),
    );
    expect(good.health).toBe('ok');
    expect(good.metrics).toMatchObject({ reachable: true, streamOk: true, codec: 'JPEG', rtspStatus: 200 });
    expect(good.metrics.latencyMs).toBeTypeOf('number');
    const bad = await probeRtsp(
      target({ type: 'rtsp', port: rtsp.port, path: RTSP_PATH, username: RTSP_USER, password: 'wrong' }),
      ctx(),
    );
    expect(bad).toMatchObject({ health: 'fault', faults: ['auth_failed'], metrics: { streamOk: false } });
  });

  it('RTSP with Digest auth (GStreamer in digest mode)', async () => {
    const digest = await startRtspServer(undefined, 'digest');
    try {
      const good = await probeRtsp(
        target({
          type: 'rtsp',
          port: digest.port,
          path: RTSP_PATH,
          username: RTSP_USER,
          password: RTSP_PASSWORD,
        }),
        ctx(),
      );
      expect(good).toMatchObject({ health: 'ok', metrics: { streamOk: true, codec: 'JPEG' } });
      const bad = await probeRtsp(
        target({ type: 'rtsp', port: digest.port, path: RTSP_PATH, username: RTSP_USER, password: 'wrong' }),
        ctx(),
      );
      expect(bad).toMatchObject({ health: 'fault', faults: ['auth_failed'] });
    } finally {
      await digest.stop();
    }
  }, 30_000);

  it('SNMP v2c: sysUpTime, ifOperStatus, wifi clients via the UniFi OID, traffic rates on the second cycle', async () => {
    let now = Date.now();
    const memory = new Map<string, unknown>();
    const t = target({
      type: 'snmp',
      port: snmpd.port,
      snmp: { version: '2c', community: SNMP_COMMUNITY, vendor: 'unifi' },
    });
    const first = await probeSnmp(t, ctx({ now: () => now, memory }), vendors);
    expect(first.health).toBe('ok');
    expect(first.metrics).toMatchObject({ reachable: true, clients: SNMP_CLIENTS });
    expect(first.metrics.sysUpTimeS).toBeTypeOf('number');
    expect(Number(first.metrics.ifUp)).toBeGreaterThanOrEqual(1); // lo is up
    expect(first.metrics.rxKbps).toBeUndefined(); // a rate needs two samples
    now += 10_000;
    const second = await probeSnmp(t, ctx({ now: () => now, memory }), vendors);
    expect(second.metrics.rxKbps).toBeTypeOf('number');
    expect(Number(second.metrics.rxKbps)).toBeGreaterThanOrEqual(0);
  });

  it('SNMP v3 authPriv works; a wrong community or key is snmp_error + timeout, not a crash', async () => {
    const v3 = await probeSnmp(
      target({
        type: 'snmp',
        port: snmpd.port,
        snmp: { version: '3', ...SNMP_V3, authProtocol: 'sha', privProtocol: 'aes' },
      }),
      ctx(),
      vendors,
    );
    expect(v3.health).toBe('ok');
    expect(v3.metrics.sysUpTimeS).toBeTypeOf('number');
    const wrong = await probeSnmp(
      target({ type: 'snmp', port: snmpd.port, snmp: { version: '2c', community: 'not-it' } }),
      ctx({ timeoutMs: 800 }),
      vendors,
    );
    expect(wrong).toMatchObject({ health: 'fault', faults: ['snmp_error', 'timeout'] });
  });

  it('SIP OPTIONS over UDP and TCP: kamailio answers 200', async () => {
    for (const transport of ['udp', 'tcp'] as const) {
      const result = await probeSip(target({ type: 'sip', port: kamailio.port, transport }), ctx());
      expect(result, transport).toMatchObject({ health: 'ok', metrics: { reachable: true, sipStatus: 200 } });
    }
  });

  it('HTTPS: status, latency, JSON field, days to expiry; a certificate expiring in 5 days is tls_expiring', async () => {
    const good = await probeHttp(
      target({
        type: 'http',
        tls: true,
        port: https30.port,
        path: '/status',
        expectJsonField: 'status.amp',
        expectValue: 'ok',
      }),
      ctx(),
    );
    expect(good.health).toBe('ok');
    expect(good.metrics).toMatchObject({ reachable: true, httpStatus: 200, contentOk: true });
    expect([29, 30]).toContain(good.metrics.tlsDaysLeft);
    const expiring = await probeHttp(target({ type: 'http', tls: true, port: https5.port }), ctx());
    expect(expiring).toMatchObject({ health: 'degraded', faults: ['tls_expiring'] });
    // The clock says it is 40 days later: the certificate has expired.
    const expired = await probeHttp(
      target({ type: 'http', tls: true, port: https30.port }),
      ctx({ now: () => Date.now() + 40 * DAY_MS }),
    );
    expect(expired).toMatchObject({ health: 'fault', faults: ['tls_expired'] });
    const mismatch = await probeHttp(
      target({ type: 'http', tls: true, port: https30.port, expectText: 'ZONE-FAULT-FREE' }),
      ctx(),
    );
    expect(mismatch).toMatchObject({
      health: 'degraded',
      faults: ['content_mismatch'],
      metrics: { contentOk: false },
    });
    const notFound = await probeHttp(
      target({ type: 'http', tls: true, port: https30.port, path: '/missing' }),
      ctx(),
    );
    expect(notFound).toMatchObject({
      health: 'fault',
      faults: ['http_status'],
      metrics: { httpStatus: 404 },
    });
  });

  it('HTTP Digest (an NVR web interface): the challenge is answered, a wrong password is auth_failed', async () => {
    const md5 = (x: string) => createHash('md5').update(x).digest('hex');
    const server = http.createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(auth)?.[1] ?? '';
      if (auth.startsWith('Digest ')) {
        const ha1 = md5('admin:nvr:nvr-pass');
        const ha2 = md5(`GET:${field('uri')}`);
        const expected = md5(`${ha1}:${field('nonce')}:${field('nc')}:${field('cnonce')}:auth:${ha2}`);
        if (field('response') === expected) return res.writeHead(200).end('NVR OK');
      }
      res.writeHead(401, { 'www-authenticate': 'Digest realm="nvr", nonce="n1", qop="auth"' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const good = await probeHttp(
        target({
          type: 'http',
          port,
          path: '/ISAPI/System/status',
          username: 'admin',
          password: 'nvr-pass',
          expectText: 'OK',
        }),
        ctx(),
      );
      expect(good).toMatchObject({ health: 'ok', metrics: { httpStatus: 200, contentOk: true } });
      const bad = await probeHttp(target({ type: 'http', port, username: 'admin', password: 'nope' }), ctx());
      expect(bad).toMatchObject({ health: 'fault', faults: ['auth_failed'], metrics: { httpStatus: 401 } });
    } finally {
      server.close();
    }
  });

  it('TCP connect latency, and a closed port is refused', async () => {
    expect(await probeTcp(target({ type: 'tcp', port: rtsp.port }), ctx())).toMatchObject({
      health: 'ok',
      metrics: { reachable: true },
    });
    const closed = await startBadTcp('hang');
    const port = closed.port;
    await closed.stop();
    expect(await probeTcp(target({ type: 'tcp', port }), ctx())).toMatchObject({
      health: 'fault',
      faults: ['refused'],
    });
  });
});

// A target that answers garbage, hangs or resets is that child being faulty: every probe settles with a fault.
describe('misbehaving targets are faults of the child, never a crash', () => {
  const cases = [
    { mode: 'garbage', http: 'bad_response', rtsp: 'bad_response', sip: 'bad_response' },
    { mode: 'hang', http: 'timeout', rtsp: 'timeout', sip: 'timeout' },
    { mode: 'reset', http: 'reset', rtsp: 'reset', sip: 'reset' },
  ] as const;
  for (const c of cases) {
    it(`a TCP target that ${c.mode}s`, async () => {
      const server = await startBadTcp(c.mode);
      try {
        const quick = ctx({ timeoutMs: 600 });
        const http = await probeHttp(target({ type: 'http', port: server.port }), quick);
        expect(http).toMatchObject({ health: 'fault', faults: [c.http] });
        const rtsp = await probeRtsp(target({ type: 'rtsp', port: server.port, path: '/x' }), quick);
        expect(rtsp).toMatchObject({ health: 'fault', faults: ['stream_down', c.rtsp] });
        const sip = await probeSip(target({ type: 'sip', port: server.port, transport: 'tcp' }), quick);
        expect(sip).toMatchObject({ health: 'fault', faults: [c.sip] });
      } finally {
        await server.stop();
      }
    });
  }

  it('UDP targets answering garbage: SIP is bad_response, SNMP is snmp_error', async () => {
    const server = await startGarbageUdp();
    try {
      const sip = await probeSip(target({ type: 'sip', port: server.port }), ctx({ timeoutMs: 600 }));
      expect(sip).toMatchObject({ health: 'fault', faults: ['bad_response'] });
      const snmp = await probeSnmp(
        target({ type: 'snmp', port: server.port, snmp: { version: '2c', community: 'x' } }),
        ctx({ timeoutMs: 600 }),
        vendors,
      );
      expect(snmp.health).toBe('fault');
      expect(snmp.faults[0]).toBe('snmp_error');
    } finally {
      await server.stop();
    }
  });
});

// ICMP through Debian's fping. The black-holed address lives in a network namespace this test creates
// (a blackhole route there), and fping runs inside it through a wrapper: nothing leaves the machine.
describe('ICMP via fping', () => {
  it('127.0.0.1 answers with RTT and no loss', async () => {
    const results = await probeIcmpBatch(['127.0.0.1'], { count: 3, timeoutMs: 500 });
    expect(results.get('127.0.0.1')).toMatchObject({
      health: 'ok',
      metrics: { reachable: true, lossPct: 0 },
    });
  });

  const ns = `probetest-${process.pid}`;
  let netnsReason: string | undefined;
  let wrapperDir: string | undefined;
  try {
    // Only a capability check here (add, then delete at once): the namespace the test uses is created
    // inside the test and removed in its finally, so a filtered or skipped run leaves nothing behind.
    execFileSync('ip', ['netns', 'add', `${ns}-check`], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', `${ns}-check`], { stdio: 'pipe' });
  } catch (err) {
    // Without CAP_SYS_ADMIN (an unprivileged CI container) namespaces cannot be created: skip, saying why.
    netnsReason = `ip netns add failed: ${(err as Error).message.split('\n')[0]}`;
  }
  afterAll(() => {
    if (wrapperDir) rmSync(wrapperDir, { recursive: true, force: true });
  });

  it.skipIf(netnsReason !== undefined)(
    `a black-holed address is unreachable with 100 % loss, batched with a reachable one${netnsReason ? ` (skipped: ${netnsReason})` : ''}`,
    async () => {
      execFileSync('ip', ['netns', 'add', ns], { stdio: 'pipe' });
      try {
        execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
        execFileSync('ip', ['netns', 'exec', ns, 'ip', 'route', 'add', 'blackhole', '198.51.100.7/32'], {
          stdio: 'pipe',
        });
        await checkBlackhole();
      } finally {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      }
    },
  );

  async function checkBlackhole(): Promise<void> {
    wrapperDir = mkdtempSync(join(tmpdir(), 'probe-fping-'));
    const wrapper = join(wrapperDir, 'fping-in-ns');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} fping "$@"\n`);
    chmodSync(wrapper, 0o755);
    const results = await probeIcmpBatch(['127.0.0.1', '198.51.100.7'], {
      count: 2,
      timeoutMs: 300,
      fping: wrapper,
    });
    expect(results.get('127.0.0.1')).toMatchObject({ health: 'ok', metrics: { reachable: true } });
    expect(results.get('198.51.100.7')).toMatchObject({
      health: 'fault',
      faults: ['unreachable'],
      metrics: { reachable: false, lossPct: 100 },
    });
  }
});
