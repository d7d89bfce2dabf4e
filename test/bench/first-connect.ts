/**
 * Issue 14: what a fresh hub's first successful CONNECTs cost, next to later ones (the storm bench's
 * "cold first device"). Starts a hub from a checkout, provisions 6 devices, then connects 5 of them one
 * after another with their right secret (each a first CONNECT: one scrypt) and prints each one's CONNACK
 * time and the hub process's CPU for it. `--wrong-first`: one wrong-secret CONNECT before them (as in the
 * storm, where refusals come first).
 *
 *   npx tsx test/bench/first-connect.ts [--dir /work/main] [--wrong-first]
 *
 * The hub and the client share this process (the CPU figure includes the client's small share). Not a
 * test: nothing here asserts on time.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectPacket } from '../support/mqtt-packets.ts';
import { startTreeHub } from './tree-hub.ts';

const { values } = parseArgs({
  options: { dir: { type: 'string', default: '.' }, 'wrong-first': { type: 'boolean', default: false } },
});
const dir = path.resolve(values.dir ?? '.');

/** ms to CONNACK and the process's CPU ms meanwhile. */
function connack(port: number, id: string, secret: string): Promise<{ ms: number; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => socket.write(connectPacket(id, id, secret)));
    socket.on('data', (d) => {
      if (d[0] !== 0x20) return;
      const cpu = process.cpuUsage(cpu0);
      resolve({ ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 });
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

const { hub, dataDir } = await startTreeHub(dir, 'first-connect');
try {
  const devices: Array<{ id: string; secret: string }> = [];
  for (let i = 0; i < 6; i++) {
    const id = `dev-${i}`;
    devices.push({
      id,
      secret: (await hub.app.devices.create({ id, kind: 'wifi', name: id, village: 'Thôn 1' })).secret,
    });
  }
  const rows: string[] = [];
  if (values['wrong-first']) {
    const r = await connack(hub.mqttPort, 'dev-5', 'wrong-secret');
    rows.push(`wrong: ${r.ms.toFixed(1)} ms (cpu ${r.cpuMs.toFixed(1)})`);
  }
  for (const d of devices.slice(0, 5)) {
    const r = await connack(hub.mqttPort, d.id, d.secret);
    rows.push(`${d.id}: ${r.ms.toFixed(1)} ms (cpu ${r.cpuMs.toFixed(1)})`);
  }
  console.log(`${dir} | load ${os.loadavg()[0]!.toFixed(1)} | ${rows.join(' | ')}`);
} finally {
  await hub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
