import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes, type AedesPublishPacket } from 'aedes';
import { pino } from 'pino';
import type { Clock, Scheduler, TimerHandle } from '../clock.ts';
import { type AgentConfig, CONFIG_DEFAULTS } from '../config.ts';
import type { Probe, ProbeResult } from '../probes/index.ts';

export const silentLogger = pino({ level: 'silent' });

export interface ReceivedMessage {
  topic: string;
  payload: string;
  retain: boolean;
  clientId: string | undefined;
}

export interface TestBroker {
  port: number;
  url: string;
  broker: Aedes;
  /** Every publication from a client (not the broker's own $SYS traffic), in arrival order. */
  received: ReceivedMessage[];
  /** Connection attempts the authenticate hook refused. */
  refused: number;
  /** Hook run synchronously as each client publication arrives. */
  onPublish?: (message: ReceivedMessage) => void;
  close(): Promise<void>;
}

/** A real aedes broker on loopback that accepts only the given (id → secret) pairs, client id = user name. */
export async function startBroker(credentials: Record<string, string>, port = 0): Promise<TestBroker> {
  let refused = 0;
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const ok =
        username !== undefined &&
        client.id === username &&
        credentials[username] !== undefined &&
        password?.toString() === credentials[username];
      if (ok) return done(null, true);
      refused += 1;
      const err = Object.assign(new Error('bad credentials'), { returnCode: 4 as const });
      done(err, false);
    },
  });
  const server = net.createServer(broker.handle as (socket: net.Socket) => void);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as net.AddressInfo).port;
  const testBroker: TestBroker = {
    port: actualPort,
    url: `mqtt://127.0.0.1:${actualPort}`,
    broker,
    received: [],
    get refused() {
      return refused;
    },
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  broker.on('publish', (packet: AedesPublishPacket, client) => {
    if (packet.topic.startsWith('$SYS')) return;
    const message: ReceivedMessage = {
      topic: packet.topic,
      payload: packet.payload.toString(),
      retain: packet.retain,
      clientId: client?.id,
    };
    testBroker.received.push(message);
    testBroker.onPublish?.(message);
  });
  return testBroker;
}

// One copy of each for the whole repo (test/support).
export { freePort } from '../../../test/support/net.ts';
export { waitFor } from '../../../test/support/wait.ts';

export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export class ManualClock implements Clock {
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
}

/** A scheduler whose intervals fire only when the test says so. */
export class ManualScheduler implements Scheduler {
  private readonly timers = new Map<number, { fn: () => void; ms: number }>();
  private nextId = 1;

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { fn, ms });
    return id;
  }

  clearInterval(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Fires every registered interval once, as if its period had elapsed. */
  fireAll(): void {
    for (const timer of this.timers.values()) timer.fn();
  }

  get intervals(): number[] {
    return [...this.timers.values()].map((t) => t.ms);
  }
}

/** A probe with fixed output, for tests about transport rather than measurement. */
export function staticProbe(result: ProbeResult = { metrics: { cpuPct: 1 }, faults: [] }): Probe {
  return { name: 'static', collect: async () => result };
}

export function agentConfig(
  overrides: Partial<AgentConfig> & Pick<AgentConfig, 'hubUrl' | 'spoolDir'>,
): AgentConfig {
  return {
    id: 'hk-kiosk-01',
    secret: 'test-secret',
    kind: 'kiosk',
    intervalS: 60,
    portalTimeoutMs: 2000,
    expectProcesses: [],
    spoolMaxEntries: CONFIG_DEFAULTS.spoolMaxEntries,
    spoolMaxBytes: CONFIG_DEFAULTS.spoolMaxBytes,
    inflightWindow: CONFIG_DEFAULTS.inflightWindow,
    reconnectMs: 50,
    keepaliveS: 30,
    logLevel: 'silent',
    ...overrides,
  };
}
