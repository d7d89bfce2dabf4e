// The hub's production memory settings live in package.json's `hub` script; the Dockerfile must start node
// the same way, and the bench reads them from there, so the three cannot drift apart.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHubScript, productionCommand } from './production-command.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('the production command', () => {
  it.each([
    ['node scripts/build.mjs hub --quiet && exec node hub/dist/server.js', {}, []],
    [
      'node scripts/build.mjs hub --quiet && MALLOC_MMAP_THRESHOLD_=131072 exec node --max-semi-space-size=1 hub/dist/server.js',
      { MALLOC_MMAP_THRESHOLD_: '131072' },
      ['--max-semi-space-size=1'],
    ],
    ['A=1 B=2 exec node --x --y=3 hub/dist/server.js', { A: '1', B: '2' }, ['--x', '--y=3']],
  ])('parses %s', (script, env, nodeArgs) => {
    expect(parseHubScript(script)).toEqual({ env, nodeArgs });
  });

  it('refuses a hub script that does not exec the built hub', () => {
    expect(() => parseHubScript('tsx hub/src/server.ts')).toThrow(/does not exec/);
  });

  it('is the one the Dockerfile runs: same environment, same node flags', () => {
    const { env, nodeArgs } = productionCommand(root);
    const dockerfile = readFileSync(`${root}/Dockerfile`, 'utf8');
    for (const [key, value] of Object.entries(env)) {
      expect(dockerfile).toMatch(new RegExp(`^ENV[^\\n]*\\b${key}=${value}\\b`, 'm'));
    }
    const cmd = /^CMD \[(.*)\]$/m.exec(dockerfile)?.[1];
    expect(cmd).toBe(['node', ...nodeArgs, 'hub/dist/server.js'].map((a) => JSON.stringify(a)).join(', '));
  });
});
