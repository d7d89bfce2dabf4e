import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningServer,
  SNMP_COMMUNITY,
  startHttpsServer,
  startRtspServer,
  startSnmpd,
} from './servers.ts';

const cli = fileURLToPath(new URL('../../cli.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

// Discovery only ever against loopback ranges: 127.0.0.0/30 is 127.0.0.1 and 127.0.0.2.
describe('npm run agent -- discover', () => {
  let rtsp: RunningServer;
  let snmpd: RunningServer;
  let https: RunningServer;
  beforeAll(async () => {
    [rtsp, snmpd, https] = await Promise.all([startRtspServer(), startSnmpd(), startHttpsServer(30)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([rtsp?.stop(), snmpd?.stop(), https?.stop()]);
  });

  const run = (args: string[]) =>
    spawnSync(tsx, [cli, 'discover', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('prints an import CSV for the answering loopback hosts, kind guessed, name blank', () => {
    const result = run([
      '--range',
      '127.0.0.0/30',
      '--timeout-ms',
      '500',
      '--community',
      SNMP_COMMUNITY,
      '--port-rtsp',
      String(rtsp.port),
      '--port-snmp',
      String(snmpd.port),
      '--port-https',
      String(https.port),
      '--port-http',
      '1',
    ]);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('id,kind,name,village,parent,probe_type,probe_address,probe_port');
    // RTSP listens on 127.0.0.1 only; 127.0.0.2 answers ping (all of 127/8 is loopback) but nothing else.
    expect(lines).toContain(`camera-127-0-0-1,camera,,,,rtsp,127.0.0.1,554`);
    expect(lines).toContain('display-127-0-0-2,display,,,,icmp,127.0.0.2,');
    expect(lines).toHaveLength(3);
  });

  it('refuses a range larger than a /22 without --force, and a malformed range', () => {
    const big = run(['--range', '10.0.0.0/16']);
    expect(big.status).toBe(2);
    expect(big.stderr).toMatch(/65536 addresses.*--force/);
    expect(big.stdout).toBe('');
    const bad = run(['--range', 'everything']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/CIDR/);
  });
});
