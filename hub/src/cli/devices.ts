/**
 * `npm run devices -- <command>`: provisioning from a terminal, through the hub's REST API.
 *   import <file.csv> [--dry-run] [--out secrets.csv]   bulk import a spreadsheet (see README)
 *   add --id ID --kind KIND --name NAME --village V [--site S] [--interval N] [--parent GW]
 *   rotate ID | disable ID | enable ID | list
 * --hub URL (HUB_URL, default http://127.0.0.1:8080), --token T (HUB_ADMIN_TOKEN).
 * Secrets are printed once as CSV `id,secret` (or written to --out with mode 0600).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { DeviceCredentials, DeviceView, ImportReport } from '@commune-hub/protocol';
import { stringify } from 'csv-stringify/sync';

const USAGE = `usage: npm run devices -- <import FILE [--dry-run] [--out FILE] | add --id --kind --name --village [--site] [--interval] [--parent] | rotate ID | disable ID | enable ID | list> [--hub URL] [--token T]`;

class CliError extends Error {}

async function call<T>(
  hub: string,
  token: string,
  method: string,
  path: string,
  body?: string,
  type = 'application/json',
) {
  let res: Response;
  try {
    res = await fetch(`${hub}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': type }), authorization: `Bearer ${token}` },
      ...(body !== undefined && { body }),
    });
  } catch (err) {
    throw new CliError(`cannot reach the hub at ${hub}: ${(err as Error).message}`);
  }
  const json = (await res.json().catch(() => ({}))) as T & { code?: string; message?: string };
  return { status: res.status, json };
}

function writeSecrets(rows: Array<{ id: string; secret: string }>, out: string | undefined): void {
  const csv = stringify(rows, { header: true, columns: ['id', 'secret'] });
  if (out) {
    fs.writeFileSync(out, csv, { mode: 0o600 });
    console.error(`${rows.length} secret(s) written to ${out} (shown once: keep this file safe)`);
  } else {
    process.stdout.write(csv);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      hub: { type: 'string', default: process.env.HUB_URL ?? 'http://127.0.0.1:8080' },
      token: { type: 'string', default: process.env.HUB_ADMIN_TOKEN },
      'dry-run': { type: 'boolean', default: false },
      out: { type: 'string' },
      id: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      village: { type: 'string' },
      site: { type: 'string' },
      interval: { type: 'string' },
      parent: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, arg] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (!values.token) throw new CliError('no admin token: pass --token or set HUB_ADMIN_TOKEN');
  const hub = values.hub.replace(/\/$/, '');
  const token = values.token;
  const fail = (r: { status: number; json: { code?: string; message?: string } }) => {
    throw new CliError(`hub answered ${r.status} ${r.json.code ?? ''}: ${r.json.message ?? ''}`);
  };
  switch (command) {
    case 'import': {
      if (!arg) throw new CliError('import needs a CSV file');
      const csv = fs.readFileSync(arg, 'utf8');
      const r = await call<ImportReport>(
        hub,
        token,
        'POST',
        `/api/devices/import?dryRun=${values['dry-run']}`,
        csv,
        'text/csv',
      );
      if (r.status !== 200 && r.status !== 422) fail(r);
      for (const w of r.json.warnings ?? []) console.error(`warning: ${w}`);
      for (const e of r.json.errors ?? [])
        console.error(`line ${e.line}${e.id ? ` (${e.id})` : ''}: ${e.message}`);
      if (r.json.errors.length > 0) {
        console.error(`${r.json.errors.length} bad row(s) of ${r.json.rows}: nothing was imported`);
        return 1;
      }
      if (r.json.dryRun) {
        console.error(`dry run: all ${r.json.rows} row(s) are valid`);
        return 0;
      }
      writeSecrets(r.json.created, values.out);
      console.error(`imported ${r.json.created.length} device(s)`);
      return 0;
    }
    case 'add': {
      const body = {
        id: values.id,
        kind: values.kind,
        name: values.name,
        village: values.village,
        ...(values.site && { site: values.site }),
        ...(values.interval && { intervalS: Number(values.interval) }),
        ...(values.parent && { parent: values.parent }),
      };
      const r = await call<DeviceCredentials>(hub, token, 'POST', '/api/devices', JSON.stringify(body));
      if (r.status !== 201) fail(r);
      writeSecrets([r.json], values.out);
      return 0;
    }
    case 'rotate': {
      const r = await call<DeviceCredentials>(
        hub,
        token,
        'POST',
        `/api/devices/${encodeURIComponent(arg ?? '')}/secret`,
      );
      if (r.status !== 200) fail(r);
      writeSecrets([r.json], values.out);
      return 0;
    }
    case 'disable':
    case 'enable': {
      const r = await call<DeviceView>(
        hub,
        token,
        'PATCH',
        `/api/devices/${encodeURIComponent(arg ?? '')}`,
        JSON.stringify({ disabled: command === 'disable' }),
      );
      if (r.status !== 200) fail(r);
      console.error(`${arg}: ${command}d`);
      return 0;
    }
    case 'list': {
      const r = await call<DeviceView[]>(hub, token, 'GET', '/api/devices');
      if (r.status !== 200) fail(r);
      process.stdout.write(
        stringify(
          r.json.map((d) => [d.id, d.kind, d.name, d.village, d.status, d.lastSeen ?? '']),
          { header: true, columns: ['id', 'kind', 'name', 'village', 'status', 'last_seen'] },
        ),
      );
      return 0;
    }
    default:
      throw new CliError(`unknown command ${command}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof CliError ? `error: ${err.message}` : err);
    process.exit(
      err instanceof CliError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1,
    );
  },
);
