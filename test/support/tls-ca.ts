/**
 * Certificates for TLS tests, made with the openssl CLI exactly as README "Security" tells an installer:
 * a commune CA, a hub certificate for 127.0.0.1/localhost signed by it, and device client certificates
 * (mutual TLS). Everything lives in one temp directory the test removes.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import mqtt from 'mqtt';

export interface CertDir {
  dir: string;
  /** Absolute path of a file in the directory. */
  file(name: string): string;
  read(name: string): Buffer;
  /** A self-signed CA: `<name>.pem` and `<name>.key`. */
  makeCa(name: string): void;
  /** A server certificate for IP 127.0.0.1 and localhost, signed by `ca`: `<out>.pem` and `<out>.key`. */
  makeServerCert(ca: string, out: string): void;
  /** A TLS client certificate (CN = `cn`), signed by `ca`: `<out>.pem` and `<out>.key`. */
  makeClientCert(ca: string, out: string, cn: string): void;
  /** SHA-256 fingerprint of `<name>.pem` as node:tls reports it (getPeerCertificate().fingerprint256). */
  fingerprint(name: string): string;
  remove(): void;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function certDir(prefix = 'hub-tls-'): CertDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const sign = (ca: string, out: string, subject: string, ext: string) => {
    openssl('req', ...EC_KEY, '-subj', subject, '-keyout', `${out}.key`, '-out', `${out}.csr`);
    fs.writeFileSync(file(`${out}.ext`), ext);
    openssl(
      'x509',
      '-req',
      '-in',
      `${out}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${out}.ext`,
      '-out',
      `${out}.pem`,
    );
  };
  return {
    dir,
    file,
    read: (name) => fs.readFileSync(file(name)),
    makeCa: (name) =>
      void openssl(
        'req',
        '-x509',
        ...EC_KEY,
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.pem`,
      ),
    makeServerCert: (ca, out) =>
      sign(ca, out, '/CN=hub.xa-test.vn', 'subjectAltName=IP:127.0.0.1,DNS:localhost\n'),
    makeClientCert: (ca, out, cn) => sign(ca, out, `/CN=${cn}`, 'extendedKeyUsage=clientAuth\n'),
    fingerprint: (name) => new X509Certificate(fs.readFileSync(file(`${name}.pem`))).fingerprint256,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The certificate a TLS server at `url` (https://, mqtts://) serves to a new connection, unverified. */
export function servedFingerprint(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve(fp);
    });
    socket.once('error', reject);
  });
}

/** fetch over node:https trusting `ca` (Node's fetch takes no CA option), with an optional keep-alive agent. */
export function caFetch(ca: Buffer | (() => Buffer), agent?: https.Agent): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const req = https.request(
        String(input),
        {
          method: init?.method ?? 'GET',
          headers,
          ...(agent ? { agent } : { agent: false, ca: typeof ca === 'function' ? ca() : ca }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
            const status = res.statusCode ?? 500;
            resolve(new Response(status === 204 ? null : Buffer.concat(chunks), { status, headers: h }));
          });
        },
      );
      req.on('error', reject);
      if (init?.body) req.write(init.body as string);
      req.end();
    });
}

/** An MQTT.js client over mqtts:// trusting `tls.ca` (and presenting `cert`/`key` for mutual TLS); no reconnect. */
export function mqttsConnect(
  url: string,
  id: string,
  secret: string,
  tlsOptions: { ca: Buffer; cert?: Buffer; key?: Buffer },
): Promise<mqtt.MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      clientId: id,
      username: id,
      password: secret,
      reconnectPeriod: 0,
      ...tlsOptions,
    });
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
    // A hub refusing the client's certificate (or the lack of one) may just close the socket.
    client.once('close', () => reject(new Error('connection closed before CONNACK')));
  });
}
