import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StartedHub } from '@commune-hub/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub } from '../support/hub.ts';

/**
 * `npm run users`: users from a terminal, through the hub's REST API with an admin's token (the flags,
 * usage and exit codes it shares with `npm run devices`, hub/src/cli/common.ts).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

describe('npm run users (CLI)', () => {
  let hub: StartedHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.close();
  });
  const users = (...args: string[]) =>
    run('npx', ['tsx', 'hub/src/cli/users.ts', ...args, '--hub', hub.httpUrl, '--token', hub.adminToken], {
      cwd: root,
    });
  const refused = (call: Promise<unknown>) =>
    call.then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );

  it('adds, lists, disables, re-enables, changes the password of and removes a user', async () => {
    const added = await users('add', '--username', 'thu', '--role', 'viewer', '--province');
    expect(added.stdout).toMatch(/user: +thu \(viewer, whole province\)/);
    expect(added.stdout).toMatch(/password: +\S{12,}/);
    expect((await users('list')).stdout).toMatch(/^thu\tviewer\tprovince\tactive\t-$/m);
    expect((await users('disable', 'thu')).stderr).toContain('thu: disabled');
    expect((await users('list')).stdout).toMatch(/^thu\tviewer\tprovince\tdisabled\t/m);
    expect((await users('enable', 'thu')).stderr).toContain('thu: enabled');
    expect((await users('passwd', 'thu', '--password', 'mot-mat-khau-dai')).stdout).toContain(
      'thu: password changed',
    );
    expect((await users('remove', 'thu')).stderr).toContain('thu: removed');
    expect((await users('list')).stdout).not.toMatch(/^thu\t/m);
  }, 120_000);

  it('says what is missing or refused, with exit code 2', async () => {
    expect(await refused(users('passwd'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('error: passwd needs a user name'),
    });
    expect(await refused(users('disable', 'nobody'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('error: no user nobody'),
    });
    expect(await refused(users('add', '--username', 'x', '--role', 'viewer'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--communes'),
    });
    expect(await refused(users('add', '--username', 'y', '--role', 'king', '--province'))).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/hub answered 400 HUB_ERR_VALIDATION/),
    });
  }, 120_000);
});
