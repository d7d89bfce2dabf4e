// Starts a private PostgreSQL server (Debian's `postgresql` package) on loopback for tests and benchmarks:
// initdb into a temp dir, its own port and socket dir, trust auth for the `hub` superuser on 127.0.0.1
// only. initdb and postgres refuse to run as root, so as root both run as the `postgres` user (runuser).
// The system cluster and service are never touched.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../support/net.ts';

export interface PostgresServer {
  /** postgres://hub@127.0.0.1:<port>/hub — a superuser: tests create a database each (createDatabase). */
  url: string;
  port: number;
  dir: string;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Durable like production (fsync on) for benchmarks; tests turn fsync off for speed. */
  durable?: boolean;
}

const INSTALL_HINT =
  'PostgreSQL (Debian package `postgresql`) is not installed: run `bash scripts/install-system-deps.sh` first.';

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(INSTALL_HINT);
  return join(root, versions[0]!, 'bin');
}

const asRoot = process.getuid?.() === 0;
/** argv to run `bin` as the postgres user when we are root. */
function asPostgres(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`postgres exited with code ${child.exitCode} during startup`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => {});
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections within ${timeoutMs} ms: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'hub-postgres-'));
  const data = join(dir, 'data');
  if (asRoot) {
    chownSync(dir, uid('postgres'), gid('postgres'));
    chmodSync(dir, 0o700);
  }
  const [cmd, args] = asPostgres(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'hub',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  execFileSync(cmd, args, { stdio: 'pipe' });
  const port = await freePort();
  const durability = options.durable
    ? []
    : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const logFd = openSync(join(dir, 'postgres.log'), 'a');
  if (asRoot) chownSync(join(dir, 'postgres.log'), uid('postgres'), gid('postgres'));
  const [pcmd, pargs] = asPostgres(join(bin, 'postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-c',
    'max_connections=200',
    ...durability,
  ]);
  const child = spawn(pcmd, pargs, { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const url = `postgres://hub@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const [scmd, sargs] = asPostgres(join(bin, 'pg_ctl'), ['-D', data, 'stop', '-m', 'immediate', '-w']);
      try {
        execFileSync(scmd, sargs, { stdio: 'pipe' });
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, 60_000);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('CREATE DATABASE hub');
    await admin.end();
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `postgres://hub@127.0.0.1:${port}/hub`, port, dir, stop };
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
