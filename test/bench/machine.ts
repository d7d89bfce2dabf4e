/** What the numbers were measured on: they mean nothing without it. */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MOSQUITTO_BIN } from './targets/target.ts';

function sh(cmd: string): string | null {
  try {
    return execSync(cmd, { shell: '/bin/sh', stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  mosquitto: string | null;
  aedes: string | null;
  os: string;
  ulimitN: string | null;
  ephemeralPorts: string | null;
}

export async function machine(): Promise<Machine> {
  let aedes: string | null = null;
  try {
    const main = createRequire(import.meta.url).resolve('aedes');
    aedes = (
      JSON.parse(readFileSync(path.join(path.dirname(main), 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {}
  return {
    cpu: sh("lscpu | sed -n 's/^Model name: *//p'") ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    mosquitto: sh(`${MOSQUITTO_BIN} -h | head -1`),
    aedes,
    os: `${os.type()} ${os.release()}`,
    ulimitN: sh('ulimit -n'),
    ephemeralPorts: sh('cat /proc/sys/net/ipv4/ip_local_port_range')?.replace(/\s+/g, '-') ?? null,
  };
}
