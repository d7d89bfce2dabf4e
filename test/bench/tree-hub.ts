import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What the before/after benches use of a hub started from a checkout's sources. */
export interface TreeHub {
  app: { devices: { create(d: unknown): Promise<{ secret: string }> } };
  mqttPort: number;
  close(): Promise<void>;
}

/**
 * Starts the hub of the checkout at `dir` (its own `hub/src/index.ts`, so `--before <tree>` measures
 * that tree's code, not this one's) on loopback with ephemeral ports and a fresh data dir, which the
 * caller removes.
 */
export async function startTreeHub(dir: string, name: string): Promise<{ hub: TreeHub; dataDir: string }> {
  const { startHub } = (await import(pathToFileURL(path.join(dir, 'hub/src/index.ts')).href)) as {
    startHub: (o: Record<string, unknown>) => Promise<TreeHub>;
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const hub = await startHub({
    dataDir,
    httpHost: '127.0.0.1',
    httpPort: 0,
    mqttHost: '127.0.0.1',
    mqttPort: 0,
    adminToken: `${name}-bench-token-0123`,
    logLevel: 'silent',
  });
  return { hub, dataDir };
}
