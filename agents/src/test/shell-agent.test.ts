import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Heartbeat } from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, startBroker, type TestBroker, waitFor } from './helpers.ts';

const SCRIPT = fileURLToPath(new URL('../../shell/commune-agent.sh', import.meta.url));
const ID = 'wifi-thon-3';
// A space and a quote: the secret must survive mosquitto_pub's config file intact.
const SECRET = 's3 cr"et';

function hasMosquittoPub(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v mosquitto_pub'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasMosquittoPub();
if (!available) {
  console.warn('shell agent tests skipped: mosquitto_pub not found (apt-get install mosquitto-clients)');
}

describe.skipIf(!available)('shell agent (mosquitto_pub)', () => {
  let broker: TestBroker;
  let tmp: ReturnType<typeof makeTempDir>;
  let child: ChildProcess | undefined;
  beforeEach(async () => {
    broker = await startBroker({ [ID]: SECRET });
    tmp = makeTempDir('shell-agent-');
  });
  afterEach(async () => {
    // The script runs in its own process group: kill it, its mosquitto_pub and its heartbeat loop together.
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
    child = undefined;
    await broker.close();
    tmp.cleanup();
  });

  // Real intervals here on purpose: what is under test is the script's real MQTT traffic, at 0.2 s.
  const spawnScript = (): ChildProcess =>
    spawn('sh', [SCRIPT, '--host', '127.0.0.1', '--port', String(broker.port), '--id', ID], {
      env: {
        ...process.env,
        HUB_AGENT_SECRET: SECRET,
        HUB_AGENT_INTERVAL: '0.2',
        HUB_AGENT_RETRY: '0.2',
        HUB_AGENT_STATE_DIR: tmp.dir,
        HUB_AGENT_CLIENTS_CMD: 'echo 7',
      },
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  const heartbeats = () =>
    broker.received
      .filter((m) => m.topic === `commune/v1/${ID}/hb`)
      .map((m) => JSON.parse(m.payload) as unknown);
  const statuses = () => broker.received.filter((m) => m.topic === `commune/v1/${ID}/status`);

  it('sends schema-valid heartbeats, keeps seq across restarts, says offline on stop and by last will', async () => {
    child = spawnScript();
    await waitFor(() => heartbeats().length >= 3, 'three heartbeats');
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor(() => statuses().at(-1)?.payload === 'offline', 'offline on clean stop');
    expect(statuses()[0]).toMatchObject({ payload: 'online', retain: true, clientId: ID });

    const firstRun = heartbeats();
    for (const hb of firstRun) expect(Value.Check(Heartbeat, hb), JSON.stringify(hb)).toBe(true);
    const first = firstRun as Heartbeat[];
    expect(first[0]!.m).toMatchObject({ clients: 7 });
    expect(typeof first[0]!.m.load1).toBe('number');
    expect(first.map((h) => h.seq - first[0]!.seq)).toEqual(first.map((_, i) => i));

    const before = heartbeats().length;
    child = spawnScript();
    await waitFor(() => heartbeats().length >= before + 1, 'heartbeat after restart');
    const restarted = heartbeats()[before] as Heartbeat;
    expect(restarted.seq).toBeGreaterThan(first.at(-1)!.seq);

    const statusCount = statuses().length;
    process.kill(-child.pid!, 'SIGKILL'); // power cut: nobody sends anything
    await waitFor(
      () => statuses().length > statusCount && statuses().at(-1)?.payload === 'offline',
      'last will',
    );
    expect(statuses().at(-1)).toMatchObject({ payload: 'offline', retain: true });
  });
});
