// Starts a private InfluxDB 1.x server (Debian's `influxd`) on loopback for tests and benchmarks: its own
// config file, data/meta/wal dirs in a temp dir, free ports, auth enabled with an admin user created at
// startup, usage reporting off. The system service is never touched.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/net.ts';

export interface InfluxdServer {
  url: string;
  username: string;
  password: string;
  /** A database created at startup, with its default retention policy `autogen`. */
  database: string;
  dir: string;
  /** Kills the server (SIGKILL: an outage, not a shutdown) without removing its data. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data after kill(). */
  restart(): Promise<void>;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

export interface InfluxdOptions {
  username?: string;
  password?: string;
  database?: string;
  /** Where influxd's own log goes; defaults to a file in its temp dir. */
  logFile?: string;
}

const INSTALL_HINT =
  'influxd (Debian package `influxdb`) is not installed: run `bash scripts/install-system-deps.sh` first.';

export function influxdBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v influxd'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(INSTALL_HINT);
  }
}

export { freePort };

function configText(dir: string, httpPort: number, rpcPort: number): string {
  return `reporting-enabled = false
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
  wal-fsync-delay = "0s"
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = true
  log-enabled = false
  pprof-enabled = false
  max-row-limit = 0
[logging]
  level = "warn"
  suppress-logo = true
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
`;
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`influxd exited with code ${child.exitCode} during startup`);
    try {
      const res = await fetch(`${url}/ping`);
      if (res.status === 204) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`influxd did not answer ${url}/ping within ${timeoutMs} ms`);
}

async function influxql(
  url: string,
  q: string,
  auth?: { username: string; password: string },
): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth)
    headers.authorization = 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  const res = await fetch(`${url}/query`, { method: 'POST', headers, body: new URLSearchParams({ q }) });
  const text = await res.text();
  if (!res.ok || text.includes('"error"')) throw new Error(`influxd refused ${q}: ${res.status} ${text}`);
}

export async function startInfluxd(opts: InfluxdOptions = {}): Promise<InfluxdServer> {
  const bin = influxdBinary();
  const dir = mkdtempSync(join(tmpdir(), 'hub-influxd-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const configPath = join(dir, 'influxdb.conf');
  writeFileSync(configPath, configText(dir, httpPort, rpcPort));
  const url = `http://127.0.0.1:${httpPort}`;
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'test-password';
  const database = opts.database ?? 'commune_hub';
  const logFile = opts.logFile ?? join(dir, 'influxd.log');

  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const { openSync, closeSync } = await import('node:fs');
    const fd = openSync(logFile, 'a');
    child = spawn(bin, ['-config', configPath], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    await waitForPing(url, child, 30_000);
  };
  const killChild = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await exited;
  };

  try {
    await launch();
    // With auth enabled and no users yet, InfluxDB 1.x accepts exactly this one statement unauthenticated.
    await influxql(url, `CREATE USER "${username}" WITH PASSWORD '${password}' WITH ALL PRIVILEGES`);
    await influxql(url, `CREATE DATABASE "${database}"`, { username, password });
  } catch (err) {
    await killChild();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url,
    username,
    password,
    database,
    dir,
    kill: killChild,
    restart: launch,
    async stop() {
      await killChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
