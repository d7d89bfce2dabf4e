import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { createHubClient, type HubClient } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caFetch, certDir, mqttsConnect, servedFingerprint } from '../support/tls-ca.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Issue 14, certificate reload: the real hub process (hub/src/server.ts, as `npm run hub` runs it) with
 * HUB_TLS_CERT/KEY, the files replaced by a renewed certificate and a real `kill -HUP`. New MQTTS and
 * HTTPS connections get the new certificate; a device connected before, and an HTTPS keep-alive
 * connection opened before, stay up on theirs. A broken pair on a later SIGHUP changes nothing.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const certs = certDir('hub-sighup-');
const { file } = certs;
/** HUB_ADMIN_TOKEN: only creates the first admin (a fresh one, not a documented example). */
const ADMIN_TOKEN = randomBytes(24).toString('base64url');

interface HubProcess {
  child: ChildProcess;
  httpUrl: string;
  mqttsUrl: string;
  /** Log lines (pino JSON) seen so far. */
  logs: { msg?: string; level?: number }[];
}

async function startHubProcess(): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'hub/src/server.ts')], {
    cwd: root,
    env: {
      ...process.env,
      HUB_DATA_DIR: path.join(certs.dir, 'data'),
      HUB_HTTP_HOST: '127.0.0.1',
      HUB_MQTT_HOST: '127.0.0.1',
      HUB_HTTP_PORT: '0',
      HUB_MQTT_PORT: '0',
      HUB_MQTTS_PORT: '0',
      HUB_TLS_CERT: file('live.pem'),
      HUB_TLS_KEY: file('live.key'),
      HUB_WEB_DIR: '',
      HUB_ADMIN_TOKEN: ADMIN_TOKEN,
      // The keep-alive connection opened before the reload must outlive the test's own steps.
      HUB_HTTP_KEEPALIVE_TIMEOUT_MS: '600000',
      HUB_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: HubProcess['logs'] = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as HubProcess['logs'][number]);
      } catch {} // the banner and anything not JSON
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}`))),
  );
  const listening = (async () => {
    await waitFor(() => logs.some((l) => l.msg === 'commune hub listening'), 'hub listening', 60_000);
    return logs.find((l) => l.msg === 'commune hub listening') as unknown as { http: string; mqtts: string };
  })();
  const urls = await Promise.race([listening, exited]);
  return { child, httpUrl: urls.http, mqttsUrl: urls.mqtts, logs };
}

const heartbeat = (seq: number) => JSON.stringify({ v: 1, ts: Date.now(), seq, up: seq, st: 'ok', m: {} });

describe('TLS certificate reload on a real SIGHUP', () => {
  let hub: HubProcess;
  let api: HubClient;

  beforeAll(async () => {
    certs.makeCa('ca1');
    certs.makeCa('ca2');
    certs.makeServerCert('ca1', 'first');
    certs.makeServerCert('ca2', 'renewed');
    fs.copyFileSync(file('first.pem'), file('live.pem'));
    fs.copyFileSync(file('first.key'), file('live.key'));
    hub = await startHubProcess();
    // The first admin, as README says: HUB_ADMIN_TOKEN for that one call, and a personal API token back.
    const bootstrap = createHubClient({
      baseUrl: hub.httpUrl,
      token: ADMIN_TOKEN,
      fetch: caFetch(certs.read('ca1.pem')),
    });
    const { apiToken } = await bootstrap.userCreate({
      body: {
        username: 'admin',
        role: 'admin',
        password: 'sighup-admin-password',
        province: true,
        communeIds: [],
        apiTokenName: 'test',
      },
    });
    // The API client opens a fresh connection per call and trusts both CAs (it runs on both sides of the reload).
    api = createHubClient({
      baseUrl: hub.httpUrl,
      token: apiToken!.token,
      fetch: caFetch(Buffer.concat([certs.read('ca1.pem'), certs.read('ca2.pem')])),
    });
  });

  afterAll(async () => {
    if (hub && hub.child.exitCode === null) {
      const gone = new Promise((resolve) => hub.child.once('exit', resolve));
      hub.child.kill('SIGTERM');
      await gone;
    }
    certs.remove();
  });

  it('new connections get the renewed certificate; open MQTTS and HTTPS connections stay up', async () => {
    expect(hub.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.mqttsUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    expect(await servedFingerprint(hub.httpUrl)).toBe(certs.fingerprint('first'));
    expect(await servedFingerprint(hub.mqttsUrl)).toBe(certs.fingerprint('first'));

    // Before the reload: a device on MQTTS, and an HTTPS keep-alive connection, both trusting CA 1 only.
    const creds = await api.deviceCreate({
      body: { id: 'hup-1', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' },
    });
    const device = await mqttsConnect(hub.mqttsUrl, creds.id, creds.secret, { ca: certs.read('ca1.pem') });
    await device.publishAsync('commune/v1/hup-1/hb', heartbeat(1), { qos: 1 });
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: certs.read('ca1.pem') });
    const keptAlive = caFetch(certs.read('ca1.pem'), agent);
    expect((await keptAlive(`${hub.httpUrl}/healthz`)).status).toBe(200);
    const openSocket = Object.values(agent.freeSockets).flat()[0] as TLSSocket;
    expect(openSocket.getPeerCertificate().fingerprint256).toBe(certs.fingerprint('first'));

    // certbot renews: the files are replaced in place (by another CA here, so the difference shows), then HUP.
    fs.copyFileSync(file('renewed.pem'), file('live.pem'));
    fs.copyFileSync(file('renewed.key'), file('live.key'));
    hub.child.kill('SIGHUP');
    await waitFor(() => hub.logs.some((l) => l.msg === 'TLS certificate reloaded'), 'reload logged');

    expect(await servedFingerprint(hub.httpUrl)).toBe(certs.fingerprint('renewed'));
    expect(await servedFingerprint(hub.mqttsUrl)).toBe(certs.fingerprint('renewed'));
    // A new device trusting only CA 1 now refuses the hub; one trusting CA 2 connects.
    const second = await api.deviceCreate({
      body: { id: 'hup-2', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' },
    });
    await expect(
      mqttsConnect(hub.mqttsUrl, second.id, second.secret, { ca: certs.read('ca1.pem') }),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    const renewedDevice = await mqttsConnect(hub.mqttsUrl, second.id, second.secret, {
      ca: certs.read('ca2.pem'),
    });
    await renewedDevice.endAsync();

    // The connections opened before are the same sockets, still on the first certificate, still working.
    expect(device.connected).toBe(true);
    await device.publishAsync('commune/v1/hup-1/hb', heartbeat(2), { qos: 1 });
    expect((device.stream as TLSSocket).getPeerCertificate().fingerprint256).toBe(certs.fingerprint('first'));
    expect((await api.deviceGet({ params: { id: 'hup-1' } })).status).toBe('online');
    expect((await keptAlive(`${hub.httpUrl}/healthz`)).status).toBe(200);
    expect(Object.values(agent.freeSockets).flat()[0]).toBe(openSocket);
    expect(openSocket.getPeerCertificate().fingerprint256).toBe(certs.fingerprint('first'));
    agent.destroy();
    await device.endAsync();
  });

  it('a broken pair on SIGHUP is refused and logged; the served certificate stays and the hub keeps running', async () => {
    const before = await servedFingerprint(hub.httpUrl);
    fs.writeFileSync(file('live.key'), 'not a key');
    hub.child.kill('SIGHUP');
    await waitFor(
      () => hub.logs.some((l) => l.msg === 'TLS certificate not reloaded: the old one stays'),
      'refusal logged',
    );
    expect(hub.child.exitCode).toBeNull();
    expect(await servedFingerprint(hub.httpUrl)).toBe(before);
    expect(await servedFingerprint(hub.mqttsUrl)).toBe(before);
    const res = await caFetch(Buffer.concat([certs.read('ca1.pem'), certs.read('ca2.pem')]))(
      `${hub.httpUrl}/healthz`,
    );
    expect(res.status).toBe(200);
  });
});
