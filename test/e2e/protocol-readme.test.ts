import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDevice, getJson, provision, startTestHub, waitFor } from '../support/hub.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The first ```js block of protocol/README.md: the device a stranger would write from the docs alone. */
function readmeDevice(): string {
  const readme = fs.readFileSync(path.join(root, 'protocol/README.md'), 'utf8');
  const match = /```js\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('protocol/README.md has no ```js example');
  return match[1]!;
}

describe('a device written from protocol/README.md alone', () => {
  let hub: StartedHub;
  let child: ChildProcess | undefined;
  const script = path.join(root, 'test', `.readme-device-${process.pid}.mjs`);

  beforeAll(async () => {
    hub = await startTestHub({ livenessSweepMs: 50 });
    fs.writeFileSync(script, readmeDevice());
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    fs.rmSync(script, { force: true });
    await hub.close();
  });

  it('shows online after its first heartbeat and offline (disconnect) when its process is killed', async () => {
    const creds = await provision(hub, {
      id: 'readme-wifi-01',
      kind: 'wifi',
      name: 'Wifi "nhà văn hoá"',
      village: 'Thôn Đông',
    });
    child = spawn(process.execPath, [script], {
      env: { ...process.env, HUB_MQTT: hub.mqttUrl, DEVICE_ID: creds.id, DEVICE_SECRET: creds.secret },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const online = await waitFor(async () => {
      const d = await getDevice(hub, creds.id);
      return d.status === 'online' ? d : undefined;
    }, `device online (stderr: ${stderr})`);
    expect(online.metrics).toEqual({ clients: 7 });
    expect(online.lastSeq).toBe(0);

    child.kill('SIGKILL');
    const offline = await waitFor(async () => {
      const d = await getDevice(hub, creds.id);
      return d.status === 'offline' ? d : undefined;
    }, 'device offline after kill');
    expect(offline.reason).toBe('disconnect');
    const transitions = await getJson<Array<{ to: string; reason: string }>>(
      hub,
      `/api/devices/${creds.id}/transitions`,
    );
    expect(transitions.map((t) => `${t.to}:${t.reason}`)).toEqual(['online:heartbeat', 'offline:disconnect']);
  });
});
