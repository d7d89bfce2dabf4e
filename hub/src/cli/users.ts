/**
 * `npm run users -- <command>`: users and personal API tokens from a terminal, through the hub's REST API.
 *   add --username U --role viewer|operator|admin (--communes a,b | --province) [--name "Họ tên"]
 *       [--password P] [--token-name N]     a password is generated and printed when not given
 *   list                                    every user (admins)
 *   token --name N [--username U --password P]   a personal API token, printed once
 *   revoke-token ID | passwd U [--password P] | disable U | enable U | remove U
 * --hub URL (HUB_URL, default http://127.0.0.1:8080), --token T (HUB_TOKEN: an admin's API token).
 * The very first admin: HUB_ADMIN_TOKEN=… npm run users -- add --username … --role admin --province --token-name cli
 * (HUB_ADMIN_TOKEN is accepted for that one call only, while the hub has no admin).
 */
import { randomBytes } from 'node:crypto';
import type { UserRole } from '@commune-hub/protocol';
import { createHubClient, type HubClient } from '@commune-hub/protocol/client';
import { attempt, CliError, parseCommand, required, runCli } from './common.ts';

const USAGE =
  'usage: npm run users -- <add --username U --role R (--communes a,b | --province) [--name N] [--password P] [--token-name N] | list | token --name N [--username U --password P] | revoke-token ID | passwd U [--password P] | disable U | enable U | remove U> [--hub URL] [--token T]';

const generatedPassword = () => randomBytes(12).toString('base64url');

async function userId(api: HubClient, username: string): Promise<string> {
  const user = (await attempt(api.userList())).find((u) => u.username === username.toLowerCase());
  if (!user) throw new CliError(`no user ${username}`);
  return user.id;
}

/** A client signed in with a password (cookie + CSRF header), for `token` without an API token. */
async function passwordClient(hub: string, username: string, password: string): Promise<HubClient> {
  let cookie = '';
  let csrf: string | null = null;
  const api = createHubClient({
    baseUrl: hub,
    csrfToken: () => csrf,
    fetch: async (input, init) => {
      const headers = { ...(init?.headers as Record<string, string>), ...(cookie && { cookie }) };
      const res = await fetch(input, { ...init, headers });
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      return res;
    },
  });
  csrf = (await attempt(api.sessionCreate({ body: { username, password } }))).csrfToken;
  return api;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    argv,
    USAGE,
    {
      username: { type: 'string' },
      role: { type: 'string' },
      communes: { type: 'string' },
      province: { type: 'boolean', default: false },
      name: { type: 'string' },
      password: { type: 'string' },
      'token-name': { type: 'string' },
    },
    process.env.HUB_TOKEN ?? process.env.HUB_ADMIN_TOKEN,
  );
  if ('usageExit' in parsed) return parsed.usageExit;
  const { command, arg, values } = parsed;
  if (command === 'token' && values.username) {
    if (!values.name) throw new CliError('token needs --name (what the token is for)');
    if (!values.password) throw new CliError('token --username needs --password');
    const api = await passwordClient(values.hub, values.username, values.password);
    const created = await attempt(api.tokenCreate({ body: { name: values.name } }));
    console.log(created.token);
    console.error(
      `token "${values.name}" (${created.info.id}) for ${values.username}: shown once, keep it safe`,
    );
    return 0;
  }
  if (!values.token)
    throw new CliError('no token: pass --token, or set HUB_TOKEN (HUB_ADMIN_TOKEN for the first admin)');
  const api = createHubClient({ baseUrl: values.hub, token: values.token });
  switch (command) {
    case 'add': {
      if (!values.username || !values.role) throw new CliError('add needs --username and --role');
      const communeIds = (values.communes ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      if (!values.province && communeIds.length === 0) {
        throw new CliError(
          'add needs --communes a,b (the communes the user sees) or --province (all of them)',
        );
      }
      const password = values.password ?? generatedPassword();
      const { user, apiToken } = await attempt(
        api.userCreate({
          body: {
            username: values.username,
            role: values.role as UserRole,
            password,
            province: values.province,
            communeIds,
            ...(values.name && { displayName: values.name }),
            ...(values['token-name'] && { apiTokenName: values['token-name'] }),
          },
        }),
      );
      console.log(
        `user:     ${user.username} (${user.role}, ${user.province ? 'whole province' : user.communeIds.join(', ')})`,
      );
      if (!values.password)
        console.log(
          `password: ${password}   (generated; give it to the user, who signs in at the dashboard)`,
        );
      if (apiToken)
        console.log(`token:    ${apiToken.token}   (personal API token "${apiToken.info.name}", shown once)`);
      return 0;
    }
    case 'list': {
      for (const u of await attempt(api.userList())) {
        const where = u.province ? 'province' : u.communeIds.join(',');
        console.log(
          [u.username, u.role, where, u.disabled ? 'disabled' : 'active', u.lastLoginAt ?? '-'].join('\t'),
        );
      }
      return 0;
    }
    case 'token': {
      if (!values.name) throw new CliError('token needs --name (what the token is for)');
      const created = await attempt(api.tokenCreate({ body: { name: values.name } }));
      console.log(created.token);
      console.error(`token "${values.name}" (${created.info.id}): shown once, keep it safe`);
      return 0;
    }
    case 'revoke-token': {
      const id = required(arg, 'revoke-token needs a token id (see the tokens in GET /api/tokens)');
      await attempt(api.tokenRevoke({ params: { id } }));
      console.error(`token ${id} revoked`);
      return 0;
    }
    case 'passwd': {
      const username = required(arg, 'passwd needs a user name');
      const password = values.password ?? generatedPassword();
      await attempt(api.userUpdate({ params: { id: await userId(api, username) }, body: { password } }));
      console.log(
        values.password ? `${username}: password changed` : `${username}: new password ${password}`,
      );
      return 0;
    }
    case 'disable':
    case 'enable': {
      const username = required(arg, `${command} needs a user name`);
      const id = await userId(api, username);
      await attempt(api.userUpdate({ params: { id }, body: { disabled: command === 'disable' } }));
      console.error(`${username}: ${command}d`);
      return 0;
    }
    case 'remove': {
      const username = required(arg, 'remove needs a user name');
      await attempt(api.userDelete({ params: { id: await userId(api, username) } }));
      console.error(`${username}: removed`);
      return 0;
    }
    default:
      throw new CliError(`unknown command ${command}\n${USAGE}`);
  }
}

runCli(main);
