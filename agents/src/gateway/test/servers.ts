import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../../test/support/net.ts';
import { waitFor } from '../../../../test/support/wait.ts';

/** Real servers on loopback for the probe tests, each with its own config, dir and port; stop() by PID. */
export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/** A free UDP port on 127.0.0.1 (snmpd and SIP over UDP). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A port free for both TCP and UDP (kamailio listens on both). */
async function freeBothPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const ok = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

function stopChild(child: ChildProcess, dir?: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

function spawnLogged(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess & { output: () => string } {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return Object.assign(child, { output: () => output });
}

export const SNMP_COMMUNITY = 'commune-test';
export const SNMP_V3 = { user: 'probeuser', authKey: 'authpass123', privKey: 'privpass123' };
/** Wifi client count served by snmpd under the UniFi OID of the vendor map (two radios: 7 + 5). */
export const SNMP_CLIENTS = 12;

/** Debian's snmpd with its own config: a v2c community, a v3 authPriv user and UniFi client counts. */
export async function startSnmpd(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'probe-snmpd-'));
  const port = await freeUdpPort();
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(
    conf,
    [
      `agentAddress udp:127.0.0.1:${port}`,
      `rocommunity ${SNMP_COMMUNITY} 127.0.0.1`,
      `createUser ${SNMP_V3.user} SHA "${SNMP_V3.authKey}" AES "${SNMP_V3.privKey}"`,
      `rouser ${SNMP_V3.user} priv`,
      'override .1.3.6.1.4.1.41112.1.6.1.2.1.8.1 integer 7',
      'override .1.3.6.1.4.1.41112.1.6.1.2.1.8.2 integer 5',
      '',
    ].join('\n'),
  );
  const child = spawnLogged('snmpd', ['-f', '-Lo', '-C', '-c', conf, '-p', join(dir, 'pid'), '-m', ''], {
    ...process.env,
    SNMP_PERSISTENT_DIR: join(dir, 'persist'),
  });
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        if (child.exitCode !== null) throw new Error(`snmpd exited: ${child.output()}`);
        try {
          execFileSync(
            'snmpget',
            [
              '-v2c',
              '-c',
              SNMP_COMMUNITY,
              '-t',
              '0.3',
              '-r',
              '0',
              `udp:127.0.0.1:${port}`,
              '1.3.6.1.2.1.1.3.0',
            ],
            {
              stdio: 'ignore',
            },
          );
          resolve(true);
        } catch {
          resolve(false);
        }
      }),
    'snmpd answering',
    15_000,
  );
  return { port, stop: () => stopChild(child, dir) };
}

export const RTSP_USER = 'viewer';
export const RTSP_PASSWORD = 'cam-secret-1';
export const RTSP_PATH = '/Streaming/Channels/101';

/** GStreamer's RTSP server (python3-gi + gir1.2-gst-rtsp-server-1.0) with Basic auth, Motion-JPEG. */
export async function startRtspServer(
  port?: number,
  auth: 'basic' | 'digest' = 'basic',
): Promise<RunningServer> {
  const listenPort = port ?? (await freePort());
  const script = fileURLToPath(new URL('./rtsp_server.py', import.meta.url));
  // /usr/bin/python3: the python3 on PATH may be a pyenv shim without python3-gi.
  const child = spawnLogged('/usr/bin/python3', [
    script,
    String(listenPort),
    RTSP_PATH,
    RTSP_USER,
    RTSP_PASSWORD,
    auth,
  ]);
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`RTSP server exited: ${child.output()}`);
      return child.output().includes('READY');
    },
    'RTSP server ready',
    20_000,
  );
  return { port: listenPort, stop: () => stopChild(child) };
}

/** kamailio with a config of its own: answers OPTIONS with 200 on UDP and TCP, 127.0.0.1 only. */
export async function startKamailio(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'probe-kamailio-'));
  const port = await freeBothPort();
  const conf = join(dir, 'kamailio.cfg');
  const mpath = [
    '/usr/lib/x86_64-linux-gnu/kamailio/modules',
    '/usr/lib/aarch64-linux-gnu/kamailio/modules',
    '/usr/lib/kamailio/modules',
  ].find((p) => {
    try {
      readFileSync(join(p, 'sl.so'));
      return true;
    } catch {
      return false;
    }
  });
  writeFileSync(
    conf,
    [
      '#!KAMAILIO',
      'debug=1',
      'log_stderror=yes',
      'children=1',
      'tcp_children=1',
      `listen=udp:127.0.0.1:${port}`,
      `listen=tcp:127.0.0.1:${port}`,
      `mpath="${mpath}/"`,
      'loadmodule "sl.so"',
      'loadmodule "pv.so"',
      'request_route {',
      '  if (method=="OPTIONS") { sl_send_reply("200", "OK"); exit; }',
      '  sl_send_reply("404", "Not here");',
      '}',
      '',
    ].join('\n'),
  );
  const child = spawnLogged('kamailio', [
    '-f',
    conf,
    '-DD',
    '-E',
    '-Y',
    dir,
    '-P',
    join(dir, 'pid'),
    '-m',
    '16',
    '-M',
    '4',
  ]);
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`kamailio exited: ${child.output()}`);
      return child.output().includes('Listening on') || canConnect(port);
    },
    'kamailio listening',
    15_000,
  );
  await waitFor(() => canConnect(port), 'kamailio TCP port', 15_000);
  return { port, stop: () => stopChild(child, dir) };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A self-signed certificate valid for `days` days from now (openssl, generated at test time). */
export function selfSignedCert(days: number): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'probe-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        String(days),
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS "loudspeaker controller" answering JSON status, with a certificate of known expiry. */
export async function startHttpsServer(
  days: number,
  body = '{"status":{"amp":"ok"},"zones":4}',
): Promise<RunningServer> {
  const { key, cert } = selfSignedCert(days);
  const server = https.createServer({ key, cert }, (req, res) => {
    if (req.url === '/missing') {
      res.writeHead(404).end('no');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Misbehaving targets: a TCP server that answers garbage, one that never answers, one that resets. */
export async function startBadTcp(mode: 'garbage' | 'hang' | 'reset'): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (mode === 'reset') socket.on('data', () => socket.resetAndDestroy());
    if (mode === 'garbage')
      socket.on('data', () => socket.write('\x00\xff garbage \x01\x02 not a protocol\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A UDP server that answers every datagram with garbage (SIP and SNMP targets talking nonsense). */
export async function startGarbageUdp(): Promise<RunningServer> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (_msg, rinfo) =>
    socket.send(Buffer.from('\x30\x03garbage'), rinfo.port, rinfo.address),
  );
  const port = await new Promise<number>((resolve) =>
    socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)),
  );
  return { port, stop: () => new Promise((resolve) => socket.close(() => resolve())) };
}
