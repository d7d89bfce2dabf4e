import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import { createHubClient, type HubClient } from '@commune-hub/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub } from '../support/hub.ts';
import { caFetch, certDir, mqttsConnect } from '../support/tls-ca.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Issue 14, TLS from the devices' side: the real shell agent (mosquitto_pub) with `--cafile`, and the
 * real simulators CLI with `--ca`, connecting over mqtts:// to a hub whose certificate a CA made here
 * signed; the same clients given another CA refuse the hub. With HUB_TLS_CA the hub asks for client
 * certificates (mutual TLS): a device without one, or with one from another CA, is refused; the MQTT.js
 * client, the Node agent and the simulators (`--cert/--key`) and the shell agent (`--certfile/--keyfile`)
 * with one connect.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const SHELL_AGENT = path.join(root, 'agents/shell/commune-agent.sh');
const certs = certDir('hub-tls-clients-');
const { file } = certs;

/** A child whose stdout+stderr are kept, in its own process group (the shell agent forks mosquitto_pub). */
interface Child {
  proc: ChildProcess;
  output: () => string;
}
const children: Child[] = [];
function start(command: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, detached: true });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const child = { proc, output: () => out };
  children.push(child);
  return child;
}
async function stopAll(): Promise<void> {
  for (const { proc } of children.splice(0)) {
    if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) continue;
    const gone = new Promise((resolve) => proc.once('exit', resolve));
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {}
    await gone;
  }
}

const shellAgent = (hub: StartedHub, id: string, secret: string, tlsArgs: string[]) =>
  start(
    'sh',
    [SHELL_AGENT, '--host', '127.0.0.1', '--port', new URL(hub.mqttsUrl).port, '--id', id, ...tlsArgs],
    {
      HUB_AGENT_SECRET: secret,
      HUB_AGENT_INTERVAL: '30',
      HUB_AGENT_RETRY: '0.2',
      HUB_AGENT_STATE_DIR: path.join(certs.dir, `state-${id}`),
    },
  );

/** hub_mqtt_connection_errors_total{reason="tls_handshake"}, read over HTTPS (loopback may read /metrics). */
async function tlsHandshakeErrors(hub: StartedHub): Promise<number> {
  const text = await (await caFetch(certs.read('ca1.pem'))(`${hub.httpUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('hub_mqtt_connection_errors_total{') && l.includes('reason="tls_handshake"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** The real simulators CLI: two devices of hoang-kim, provisioned over HTTPS, their secrets saved to `credentials`. */
const simulator = (hub: StartedHub, credentials: string, tlsArgs: string[]) =>
  start(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'simulators/src/cli.ts'),
      'hoang-kim',
      '--devices',
      '2',
      '--no-failures',
      '--hub',
      hub.httpUrl,
      '--token',
      hub.adminToken,
      '--mqtt',
      hub.mqttsUrl,
      ...tlsArgs,
      '--save-credentials',
      file(credentials),
    ],
    // Provisioning goes over HTTPS with Node's fetch, which takes the CA from here (README).
    { NODE_EXTRA_CA_CERTS: file('ca1.pem'), LOG_LEVEL: 'warn' },
  );
const credentialIds = (name: string) =>
  Object.keys(JSON.parse(fs.readFileSync(file(name), 'utf8')) as object);
/** Waits until the simulator has provisioned its devices (the credentials file is written). */
const provisioned = (sim: Child, credentials: string) =>
  waitFor(() => fs.existsSync(file(credentials)), 'devices provisioned over HTTPS', 60_000).catch(
    (err: unknown) => {
      throw new Error(`${(err as Error).message}\n${sim.output()}`);
    },
  );

const TLS_REFUSAL = /certificate verify failed|unable to verify|self[- ]signed|tls|ssl|handshake/i;

beforeAll(() => {
  certs.makeCa('ca1'); // the commune CA that signs the hub's certificate
  certs.makeCa('ca2'); // another CA: trusting it must not be enough
  certs.makeCa('devices'); // the CA of device client certificates (mutual TLS)
  certs.makeServerCert('ca1', 'hub');
  certs.makeClientCert('devices', 'dev-good', 'mtls-ok');
  certs.makeClientCert('ca2', 'dev-foreign', 'mtls-foreign');
});
afterEach(stopAll);
afterAll(() => certs.remove());

async function tlsHub(mutual: boolean): Promise<{ hub: StartedHub; api: HubClient }> {
  const hub = await startTestHub({
    tlsCert: file('hub.pem'),
    tlsKey: file('hub.key'),
    ...(mutual && { tlsCa: file('devices.pem') }),
    mqttsPort: 0,
    mqttPort: 0,
  });
  const api = createHubClient({
    baseUrl: hub.httpUrl,
    token: hub.adminToken,
    fetch: caFetch(certs.read('ca1.pem')),
  });
  return { hub, api };
}

describe('devices over mqtts:// with a commune CA', () => {
  let hub: StartedHub;
  let api: HubClient;
  beforeAll(async () => ({ hub, api } = await tlsHub(false)));
  afterAll(() => hub?.close());

  const online = async (id: string) => (await api.deviceGet({ params: { id } })).status === 'online';

  it('the shell agent with --cafile connects and is heard', async () => {
    const creds = await api.deviceCreate({
      body: { id: 'sh-tls', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' },
    });
    const agent = shellAgent(hub, creds.id, creds.secret, ['--cafile', file('ca1.pem')]);
    await waitFor(() => online('sh-tls'), 'shell agent online over MQTTS', 30_000).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${agent.output()}`);
    });
  });

  it('the shell agent trusting another CA refuses the hub and never comes online', async () => {
    const creds = await api.deviceCreate({
      body: { id: 'sh-wrong', kind: 'wifi', name: 'Wifi', village: 'Thôn 1' },
    });
    const agent = shellAgent(hub, creds.id, creds.secret, ['--cafile', file('ca2.pem')]);
    await waitFor(() => TLS_REFUSAL.test(agent.output()), 'mosquitto_pub reports the TLS refusal', 30_000);
    expect((await api.deviceGet({ params: { id: 'sh-wrong' } })).status).not.toBe('online');
  });

  it('the simulators with --ca connect their devices over mqtts://', async () => {
    const sim = simulator(hub, 'sim-ok.json', ['--ca', file('ca1.pem')]);
    await provisioned(sim, 'sim-ok.json');
    const ids = credentialIds('sim-ok.json');
    expect(ids).toHaveLength(2);
    await waitFor(
      async () => (await Promise.all(ids.map(online))).every(Boolean),
      'simulated devices online',
      60_000,
    );
  });

  it('the simulators trusting another CA are refused: every connection fails with a TLS error', async () => {
    const sim = simulator(hub, 'sim-wrong.json', ['--ca', file('ca2.pem')]);
    await waitFor(
      () => /mqtt error/.test(sim.output()) && TLS_REFUSAL.test(sim.output()),
      'the simulator logs the TLS refusal',
      60_000,
    );
    for (const id of credentialIds('sim-wrong.json')) {
      expect((await api.deviceGet({ params: { id } })).status).not.toBe('online');
    }
  });
});

describe('mutual TLS: HUB_TLS_CA asks devices for a client certificate', () => {
  let hub: StartedHub;
  let api: HubClient;
  beforeAll(async () => ({ hub, api } = await tlsHub(true)));
  afterAll(() => hub?.close());

  const device = async (id: string) =>
    api.deviceCreate({ body: { id, kind: 'wifi', name: 'Wifi', village: 'Thôn 1' } });

  it('a device with a certificate from the devices CA (and its secret) connects', async () => {
    const creds = await device('mtls-ok');
    const client = await mqttsConnect(hub.mqttsUrl, creds.id, creds.secret, {
      ca: certs.read('ca1.pem'),
      cert: certs.read('dev-good.pem'),
      key: certs.read('dev-good.key'),
    });
    await client.publishAsync(
      'commune/v1/mtls-ok/hb',
      JSON.stringify({ v: 1, ts: Date.now(), seq: 1, up: 1, st: 'ok', m: {} }),
      { qos: 1 },
    );
    expect((await api.deviceGet({ params: { id: 'mtls-ok' } })).status).toBe('online');
    await client.endAsync();
  });

  it('a device with the right secret but no client certificate, or one from another CA, is refused', async () => {
    const creds = await device('mtls-refused');
    await expect(
      mqttsConnect(hub.mqttsUrl, creds.id, creds.secret, { ca: certs.read('ca1.pem') }),
    ).rejects.toThrow();
    await expect(
      mqttsConnect(hub.mqttsUrl, creds.id, creds.secret, {
        ca: certs.read('ca1.pem'),
        cert: certs.read('dev-foreign.pem'),
        key: certs.read('dev-foreign.key'),
      }),
    ).rejects.toThrow();
    expect((await api.deviceGet({ params: { id: 'mtls-refused' } })).status).not.toBe('online');
  });

  it('the shell agent with --certfile/--keyfile connects; without them it is refused', async () => {
    const ok = await device('mtls-shell');
    shellAgent(hub, ok.id, ok.secret, [
      '--cafile',
      file('ca1.pem'),
      '--certfile',
      file('dev-good.pem'),
      '--keyfile',
      file('dev-good.key'),
    ]);
    await waitFor(
      async () => (await api.deviceGet({ params: { id: 'mtls-shell' } })).status === 'online',
      'shell agent online with its client certificate',
      30_000,
    );
    const bare = await device('mtls-shell-bare');
    const before = await tlsHandshakeErrors(hub);
    const refused = shellAgent(hub, bare.id, bare.secret, ['--cafile', file('ca1.pem')]);
    // Under TLS 1.3 the client learns of the refusal only as a lost connection; the hub counts the handshake.
    await waitFor(
      async () => /refused/.test(refused.output()) && (await tlsHandshakeErrors(hub)) > before,
      'the refusal reported by the agent and counted by the hub',
      30_000,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${refused.output()}`);
    });
    expect((await api.deviceGet({ params: { id: 'mtls-shell-bare' } })).status).not.toBe('online');
  });

  it('the Node agent with --cert/--key connects over mqtts://', async () => {
    const creds = await device('mtls-agent');
    start(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'agents/src/cli.ts'),
        '--hub',
        hub.mqttsUrl,
        '--ca',
        file('ca1.pem'),
        '--cert',
        file('dev-good.pem'),
        '--key',
        file('dev-good.key'),
        '--id',
        'mtls-agent',
        '--kind',
        'kiosk',
        '--interval',
        '60',
        '--spool',
        path.join(certs.dir, 'spool'),
        '--log-level',
        'warn',
      ],
      { HUB_AGENT_SECRET: creds.secret },
    );
    await waitFor(
      async () => (await api.deviceGet({ params: { id: 'mtls-agent' } })).status === 'online',
      'the Node agent online with its client certificate',
      60_000,
    );
  });

  it('the simulators without --cert/--key are refused; with them their devices connect', async () => {
    const online = async (id: string) => (await api.deviceGet({ params: { id } })).status === 'online';
    // First without a client certificate: the devices are new, so none can be online from before.
    const before = await tlsHandshakeErrors(hub);
    const bare = simulator(hub, 'sim-mtls-bare.json', ['--ca', file('ca1.pem')]);
    await provisioned(bare, 'sim-mtls-bare.json');
    const ids = credentialIds('sim-mtls-bare.json');
    expect(ids).toHaveLength(2);
    // Under TLS 1.3 the client may learn of the refusal only as a lost connection; the hub counts the handshakes.
    await waitFor(
      async () => /mqtt error/.test(bare.output()) && (await tlsHandshakeErrors(hub)) >= before + 2,
      'the refusals logged by the simulator and counted by the hub',
      60_000,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${bare.output()}`);
    });
    for (const id of ids) expect(await online(id)).toBe(false);
    await stopAll();

    // The same devices (provisioned again: their secrets rotate) with the devices CA's client certificate.
    const ok = simulator(hub, 'sim-mtls-ok.json', [
      '--ca',
      file('ca1.pem'),
      '--cert',
      file('dev-good.pem'),
      '--key',
      file('dev-good.key'),
    ]);
    await provisioned(ok, 'sim-mtls-ok.json');
    expect(credentialIds('sim-mtls-ok.json').sort()).toEqual([...ids].sort());
    await waitFor(
      async () => (await Promise.all(ids.map(online))).every(Boolean),
      'simulated devices online with the client certificate',
      60_000,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${ok.output()}`);
    });
  }, 180_000);
});
