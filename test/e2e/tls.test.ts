import { execFileSync, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import { createHubClient, type DeviceCreate, type HubClient } from '@commune-hub/protocol';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, waitFor } from '../support/hub.ts';
import { caFetch, certDir, mqttsConnect } from '../support/tls-ca.ts';

/**
 * Issue 14, TLS: a commune's own CA made here with the openssl CLI (as README "Security" tells an
 * installer to), the hub on MQTTS and HTTPS only, devices and the real agent verifying the hub's
 * certificate against that CA, a wrong CA refused, a renewed certificate taken on reload, and Chromium
 * loading the dashboard over HTTPS without a single CSP violation.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const certs = certDir('hub-tls-');
const { dir, file } = certs;

function httpsGet(url: string, ca: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('TLS: MQTTS and HTTPS with a commune CA', () => {
  let hub: StartedHub;
  let api: HubClient;
  const provision = (_hub: StartedHub, body: DeviceCreate) => api.deviceCreate({ body });
  const hubClient = (_hub: StartedHub) => api;
  /** A Prometheus sample, read over HTTPS (loopback). */
  const metric = async (_hub: StartedHub, name: string, labels: Record<string, string>) => {
    const res = await caFetch(certs.read('live-ca.pem'))(`${hub.httpUrl}/metrics`);
    const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    let sum = 0;
    for (const line of (await res.text()).split('\n')) {
      if (line.startsWith(`${name}{`) && want.every((w) => line.includes(w)))
        sum += Number(line.split(' ').at(-1));
    }
    return sum;
  };
  const webDir = path.join(root, 'web/dist');

  beforeAll(async () => {
    certs.makeCa('ca1');
    certs.makeCa('ca2');
    certs.makeServerCert('ca1', 'hub');
    // The files the hub reads; the reload test overwrites them in place, as certbot would.
    fs.copyFileSync(file('hub.pem'), file('live.pem'));
    fs.copyFileSync(file('hub.key'), file('live.key'));
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    hub = await startTestHub({
      tlsCert: file('live.pem'),
      tlsKey: file('live.key'),
      mqttsPort: 0,
      mqttPort: 0, // with TLS on: the plain port is off
      webDir,
    });
    fs.copyFileSync(file('ca1.pem'), file('live-ca.pem'));
    api = createHubClient({
      baseUrl: hub.httpUrl,
      token: hub.adminToken,
      fetch: (input, init) => caFetch(certs.read('live-ca.pem'))(input, init),
    });
  });
  afterAll(async () => {
    await hub?.close();
    certs.remove();
  });

  it('serves MQTT over TLS only; a device trusting the commune CA connects and is heard', async () => {
    expect(hub.mqttUrl).toBe('');
    expect(hub.mqttsUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.httpUrl).toMatch(/^https:/);
    const creds = await provision(hub, { id: 'tls-1', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' });
    const client = await mqttsConnect(hub.mqttsUrl, creds.id, creds.secret, { ca: certs.read('ca1.pem') });
    await client.publishAsync(
      'commune/v1/tls-1/hb',
      JSON.stringify({ v: 1, ts: Date.now(), seq: 1, up: 1, st: 'ok', m: {} }),
      { qos: 1 },
    );
    expect((await hubClient(hub).deviceGet({ params: { id: 'tls-1' } })).status).toBe('online');
    await client.endAsync();
  });

  it('a client trusting another CA refuses the hub, and the failed handshake is counted', async () => {
    const creds = await provision(hub, { id: 'tls-2', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' });
    await expect(
      mqttsConnect(hub.mqttsUrl, creds.id, creds.secret, { ca: certs.read('ca2.pem') }),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    await expect(httpsGet(`${hub.httpUrl}/healthz`, certs.read('ca2.pem'))).rejects.toThrow();
    expect(await httpsGet(`${hub.httpUrl}/healthz`, certs.read('ca1.pem'))).toBe(200);
    await waitFor(
      async () => (await metric(hub, 'hub_mqtt_connection_errors_total', { reason: 'tls_handshake' })) >= 1,
      'tls_handshake counted',
    );
  });

  it('the agent connects with --ca over mqtts://', async () => {
    const creds = await provision(hub, { id: 'tls-agent', kind: 'kiosk', name: 'Kiosk', village: 'Thôn 1' });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'agents/src/cli.ts'),
        '--hub',
        hub.mqttsUrl,
        '--ca',
        file('ca1.pem'),
        '--id',
        'tls-agent',
        '--kind',
        'kiosk',
        '--interval',
        '60',
        '--spool',
        path.join(dir, 'spool'),
        '--log-level',
        'warn',
      ],
      { env: { ...process.env, HUB_AGENT_SECRET: creds.secret }, stdio: 'ignore' },
    );
    try {
      await waitFor(
        async () => (await hubClient(hub).deviceGet({ params: { id: 'tls-agent' } })).status === 'online',
        'the agent online over MQTTS',
        60_000,
      );
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('a renewed certificate is taken on reload (what SIGHUP does), for new connections', async () => {
    certs.makeServerCert('ca2', 'renewed');
    fs.copyFileSync(file('renewed.pem'), file('live.pem'));
    fs.copyFileSync(file('renewed.key'), file('live.key'));
    hub.reloadTls();
    fs.copyFileSync(file('ca2.pem'), file('live-ca.pem'));
    expect(await httpsGet(`${hub.httpUrl}/healthz`, certs.read('ca2.pem'))).toBe(200);
    await expect(httpsGet(`${hub.httpUrl}/healthz`, certs.read('ca1.pem'))).rejects.toThrow();
    const creds = await provision(hub, { id: 'tls-3', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' });
    (await mqttsConnect(hub.mqttsUrl, creds.id, creds.secret, { ca: certs.read('ca2.pem') })).end(true);
    // A broken pair is refused and the served certificate stays.
    fs.writeFileSync(file('live.key'), 'not a key');
    expect(() => hub.reloadTls()).toThrow();
    expect(await httpsGet(`${hub.httpUrl}/healthz`, certs.read('ca2.pem'))).toBe(200);
    // Put the CA1 certificate back for the browser test.
    fs.copyFileSync(file('hub.pem'), file('live.pem'));
    fs.copyFileSync(file('hub.key'), file('live.key'));
    hub.reloadTls();
    fs.copyFileSync(file('ca1.pem'), file('live-ca.pem'));
  });

  it('Chromium loads the dashboard over HTTPS, trusting exactly the hub key, with no CSP violation', async () => {
    // Headless Chromium has no per-launch CA option; it is told the SHA-256 of the hub certificate's public
    // key (SPKI), so it accepts that key and still rejects any other certificate — not "ignore errors".
    const spki = new X509Certificate(certs.read('hub.pem')).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const pin = createHash('sha256').update(spki).digest('base64');
    // The SPKI list is honoured only with an explicit profile directory.
    const browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', `--ignore-certificate-errors-spki-list=${pin}`],
    });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`Refused to (CSP) ${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      const response = await page.goto(`${hub.httpUrl}/`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response?.headers()['strict-transport-security']).toContain('max-age');
      await page.waitForFunction(() => (document.querySelector('#root')?.children.length ?? 0) > 0);
      await page.waitForLoadState('networkidle');
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
