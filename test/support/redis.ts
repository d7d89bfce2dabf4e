import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './net.ts';
import { waitFor } from './wait.ts';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Debian's redis-server on loopback for one test file: its own port, no persistence (`--save ''`, no AOF),
 * so nothing is shared with another test or with a system Redis. Stopped by the test (SIGTERM).
 */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  await waitFor(
    () => /Ready to accept connections/.test(output) || child.exitCode !== null,
    'redis-server ready',
  );
  if (child.exitCode !== null) throw new Error(`redis-server exited: ${output.slice(-2000)}`);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
