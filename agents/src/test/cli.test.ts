import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, startBroker, type TestBroker, waitFor } from './helpers.ts';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const ID = 'hk-pc-07';
const SECRET = 'cli-secret';

/** The agent as it runs in production: its own process, configured through the environment. */
function spawnAgent(hubUrl: string, spoolDir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, '--kind', 'pc', '--interval', '3600'], {
    env: {
      ...process.env,
      HUB_AGENT_HUB: hubUrl,
      HUB_AGENT_ID: ID,
      HUB_AGENT_SECRET: SECRET,
      HUB_AGENT_SPOOL: spoolDir,
      HUB_AGENT_LOG_LEVEL: 'warn',
    },
    // Warnings only, so a failing run shows why and a passing one stays quiet.
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

describe('agent process', () => {
  let broker: TestBroker;
  let tmp: ReturnType<typeof makeTempDir>;
  let child: ChildProcess | undefined;
  beforeEach(async () => {
    broker = await startBroker({ [ID]: SECRET });
    tmp = makeTempDir('agent-cli-');
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
    await broker.close();
    tmp.cleanup();
  });
  const statuses = () =>
    broker.received.filter((m) => m.topic === `commune/v1/${ID}/status`).map((m) => m.payload);
  const hbCount = () => broker.received.filter((m) => m.topic === `commune/v1/${ID}/hb`).length;

  it('publishes offline and exits 0 on SIGTERM', async () => {
    const agent = spawnAgent(broker.url, tmp.dir);
    child = agent;
    await waitFor(() => hbCount() === 1, 'first heartbeat', 30_000);
    const exited = new Promise<number | null>((resolve) => agent.once('exit', (code) => resolve(code)));
    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(statuses()).toEqual(['online', 'offline']);
  });

  it('has the broker publish its last will when the process dies abruptly', async () => {
    const agent = spawnAgent(broker.url, tmp.dir);
    child = agent;
    await waitFor(() => hbCount() === 1, 'first heartbeat', 30_000);
    agent.kill('SIGKILL'); // no chance to say goodbye: the socket just closes
    await waitFor(() => statuses().length === 2, 'last will', 10_000);
    const will = broker.received.filter((m) => m.topic === `commune/v1/${ID}/status`)[1]!;
    expect(will).toMatchObject({ payload: 'offline', retain: true });
  });
});
