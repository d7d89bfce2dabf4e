/**
 * The three systems under test behind one shape: bare aedes, Mosquitto and the full hub, each in its own
 * process on loopback so the generator is the same and RSS is read per process.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceCredential } from '../loadgen/messages.ts';
import { waitFor } from '../stats.ts';
import { freePort, rssKiB, treeRssKiB } from './process-info.ts';
import { productionCommand } from './production-command.ts';

export type TargetName = 'hub' | 'aedes' | 'mosquitto';

export interface Target {
  readonly name: TargetName;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** REST + socket.io (hub only). */
  readonly httpUrl?: string;
  /** The bearer token for REST and socket.io (hub only): the first admin's personal API token. */
  readonly apiToken?: string;
  rssKiB(): number;
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const MOSQUITTO_BIN = process.env.BENCH_MOSQUITTO ?? '/usr/sbin/mosquitto';

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function forkChild<T>(
  file: string,
  env: Record<string, string>,
  execArgv: string[] = [],
): Promise<[ChildProcess, T]> {
  // TypeScript under the tsx loader; a plain .mjs (bare aedes) in plain `node`, without the loader's memory.
  const loader = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = fork(path.join(here, file), [], {
    execArgv: [...loader, ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
    child.once('message', (msg: T) => resolve([child, msg]));
  });
}

export async function startAedes(): Promise<Target> {
  // Plain node, as the hub runs (`node hub/dist/server.js`): under tsx it held ~30 MB more (issue 15).
  const [child, ready] = await forkChild<{ port: number }>('aedes-child.mjs', {});
  return {
    name: 'aedes',
    pid: child.pid!,
    host: '127.0.0.1',
    port: ready.port,
    rssKiB: () => treeRssKiB(child.pid!),
    stop: async () => {
      child.disconnect();
      await waitForExit(child, 5000);
    },
  };
}

/**
 * Mosquitto with a config of its own: loopback listener, no persistence, anonymous (any credentials are
 * accepted, like the bare aedes), no caps on queued or in-flight messages so a slow subscriber makes it
 * buffer rather than drop — the same as aedes, which has no such caps.
 */
export async function startMosquitto(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-mosquitto-'));
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_queued_messages 0',
      'max_inflight_messages 0',
      'max_connections -1',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      '',
    ].join('\n'),
  );
  const child = spawn(MOSQUITTO_BIN, ['-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}`);
      return canConnect(port);
    },
    'mosquitto to listen',
    10_000,
  );
  return {
    name: 'mosquitto',
    pid: child.pid!,
    host: '127.0.0.1',
    port,
    rssKiB: () => rssKiB(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await waitForExit(child, 5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function canConnect(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface HubOptions {
  /** Reuse a data dir across hub restarts (devices stay provisioned). */
  dataDir: string;
  adminToken: string;
  /** Extra node flags, e.g. --cpu-prof. */
  execArgv?: string[];
  /**
   * `dist` (default): the production command, `node hub/dist/server.js` (scripts/build.mjs), settings
   * from the environment; `tsx`: the TypeScript sources in-process under the tsx loader (hub-child.ts).
   */
  run?: 'dist' | 'tsx';
  /** Extra HUB_* settings for `dist`, e.g. HUB_WORKERS and the cluster's URLs. */
  env?: Record<string, string>;
  /**
   * `dist` only. false: bare `node hub/dist/server.js`, without the memory settings `npm run hub` and the
   * Dockerfile start it with (package.json's `hub` script) — the "before" of those settings.
   */
  productionFlags?: boolean;
}

export async function startHubTarget(options: HubOptions): Promise<Target> {
  // run.ts sets BENCH_HUB_RUN from --hubRun, so every hub of the run (the uptime figure's too) is the same.
  if ((options.run ?? (process.env.BENCH_HUB_RUN === 'tsx' ? 'tsx' : 'dist')) === 'dist')
    return startBuiltHub(options);
  const [child, ready] = await forkChild<{ httpUrl: string; mqttUrl: string }>(
    'hub-child.ts',
    { BENCH_HUB_DATA_DIR: options.dataDir, BENCH_HUB_TOKEN: options.adminToken },
    options.execArgv,
  );
  const mqtt = new URL(ready.mqttUrl);
  return {
    name: 'hub',
    pid: child.pid!,
    host: mqtt.hostname,
    port: Number(mqtt.port),
    httpUrl: ready.httpUrl,
    // The whole tree: tsx keeps an esbuild service process beside the hub.
    rssKiB: () => treeRssKiB(child.pid!),
    stop: async () => {
      child.disconnect();
      await waitForExit(child, 15_000);
    },
  };
}

const repoRoot = path.resolve(here, '../../..');

/**
 * `node hub/dist/server.js` as an operator runs it: one process (or, with HUB_WORKERS, one supervisor and
 * its workers), settings from HUB_* variables, ready when /healthz answers. RSS and CPU are the tree's.
 */
async function startBuiltHub(options: HubOptions): Promise<Target> {
  const server = path.join(repoRoot, 'hub/dist/server.js');
  if (!existsSync(server)) throw new Error('bench: hub/dist/server.js is missing: run `npm run build` first');
  const [httpPort, mqttPort] = [await freePort(), await freePort()];
  const production = options.productionFlags === false ? { env: {}, nodeArgs: [] } : productionCommand();
  const child = spawn(process.execPath, [...production.nodeArgs, ...(options.execArgv ?? []), server], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...production.env,
      HUB_DATA_DIR: options.dataDir,
      HUB_ADMIN_TOKEN: options.adminToken,
      HUB_HTTP_HOST: '127.0.0.1',
      HUB_HTTP_PORT: String(httpPort),
      HUB_MQTT_HOST: '127.0.0.1',
      HUB_MQTT_PORT: String(mqttPort),
      HUB_LOG_LEVEL: 'warn',
      HUB_WEB_DIR: '',
      ...options.env,
    },
    // The hub's log (pino, on stdout, warn and up) goes to the bench's stderr with its progress lines: a
    // stuck commit or a refused connection must be visible there. The bench's stdout stays the table.
    stdio: ['ignore', 2, 'inherit'],
  });
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`hub/dist/server.js exited with ${child.exitCode}`);
      const ok = await fetch(`${httpUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      return ok && (await canConnect(mqttPort));
    },
    'the built hub to answer /healthz',
    120_000,
  );
  const apiToken = await firstAdminToken(httpUrl, options.dataDir, options.adminToken);
  return {
    name: 'hub',
    pid: child.pid!,
    host: '127.0.0.1',
    port: mqttPort,
    httpUrl,
    apiToken,
    rssKiB: () => treeRssKiB(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await waitForExit(child, 15_000);
    },
  };
}

/**
 * HUB_ADMIN_TOKEN only creates the first admin (issue 14): the built hub's first start makes that admin and
 * keeps its personal API token beside the data, so later starts on the same data dir reuse it.
 */
async function firstAdminToken(httpUrl: string, dataDir: string, adminToken: string): Promise<string> {
  const file = path.join(dataDir, 'bench-api-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const res = await fetch(`${httpUrl}/api/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      username: 'bench',
      password: 'bench-admin-password',
      role: 'admin',
      province: true,
      apiTokenName: 'bench',
    }),
  });
  if (res.status !== 201)
    throw new Error(`bench: creating the first admin failed: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { apiToken: { token: string } }).apiToken.token;
  writeFileSync(file, token);
  return token;
}

/** Device ids and secrets for the baselines, which accept any credentials. */
export function anonymousDevices(count: number, prefix = 'bench'): DeviceCredential[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(5, '0')}`,
    secret: 'x',
  }));
}
