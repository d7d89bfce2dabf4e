// Validating a compose file with Debian's docker-compose, which needs no Docker engine for `config`.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Fails with how to install it when a tool the test needs is missing (CI installs them). */
export function needCommand(command: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${command} is not installed: run \`bash scripts/install-system-deps.sh\` first`);
  }
}

/**
 * `docker-compose -f <file> <args>` in the repo, with only the file's own defaults: the developer's
 * environment must not make a broken file pass. HUB_ADMIN_TOKEN has no default on purpose (the hub
 * refuses the documented example), so the operator's is given unless `env` says otherwise.
 */
export function dockerCompose(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = { HUB_ADMIN_TOKEN: 'a-token-the-operator-chose' },
) {
  needCommand('docker-compose');
  return spawnSync('docker-compose', ['-f', file, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
  });
}

/** What the tests read of a resolved compose file (`docker-compose config`). */
export interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
  restart?: string;
  volumes?: string[];
  ports?: Array<string | { published: number; target: number }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}
