/**
 * The environment and node flags the built hub runs with in production, read from package.json's `hub`
 * script (`... && VAR=value exec node --flag hub/dist/server.js`), so the bench measures the hub exactly as
 * `npm run hub` and the Dockerfile start it (production-command.test.ts checks the Dockerfile agrees).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ProductionCommand {
  env: Record<string, string>;
  nodeArgs: string[];
}

export function parseHubScript(script: string): ProductionCommand {
  // `VAR=value exec node …`: sh exports assignments made before `exec` to the program it becomes.
  const match = /((?:[A-Z_]+=\S+\s+)*)exec\s+node\s+((?:--\S+\s+)*)hub\/dist\/server\.js/.exec(script);
  if (!match)
    throw new Error(`bench: package.json's hub script does not exec node hub/dist/server.js: ${script}`);
  const env = Object.fromEntries(
    (match[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return { env, nodeArgs: (match[2] ?? '').trim().split(/\s+/).filter(Boolean) };
}

export function productionCommand(root = repoRoot): ProductionCommand {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: { hub: string };
  };
  return parseHubScript(pkg.scripts.hub);
}
