/**
 * `npm run devices -- <command>`: provisioning from a terminal, through the hub's REST API.
 *   import <file.csv> [--dry-run] [--out secrets.csv]   bulk import a spreadsheet (see README)
 *   add --id ID --kind KIND --name NAME --village V [--site S] [--interval N] [--parent GW]
 *   rotate ID | disable ID | enable ID | list
 * --hub URL (HUB_URL, default http://127.0.0.1:8080), --token T (HUB_TOKEN: an admin's personal API token,
 * from `npm run users -- token`).
 * Secrets are printed once as CSV `id,secret` (or written to --out with mode 0600).
 */
import fs from 'node:fs';
import type { DeviceCreate, ImportReport } from '@commune-hub/protocol';
import { escapeControlCharacters, neutralizeFormula } from '@commune-hub/protocol';
// The client alone (no TypeBox schemas at run time): each CLI call starts a process, keep it light.
import { createHubClient, HubApiError, type HubClient } from '@commune-hub/protocol/client';
import { stringify } from 'csv-stringify/sync';
import { attempt, CliError, cliError, parseCommand, required, runCli } from './common.ts';

const USAGE = `usage: npm run devices -- <import FILE [--dry-run] [--out FILE] | add --id --kind --name --village [--site] [--interval] [--parent] | rotate ID | disable ID | enable ID | list> [--hub URL] [--token T]`;

/** A cell of people's text in the CLI's CSV: never a formula in a spreadsheet, never an escape sequence on a terminal. */
const cell = (text: string): string => neutralizeFormula(escapeControlCharacters(text));

/** The import report, also when the hub refused the sheet (its 422 carries the same report). */
async function importReport(api: HubClient, csv: string, dryRun: boolean): Promise<ImportReport> {
  try {
    return await api.deviceImport({ query: { dryRun }, body: csv });
  } catch (err) {
    if (err instanceof HubApiError && err.status === 422) return err.body as ImportReport;
    throw cliError(err);
  }
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
  const parsed = parseCommand(
    argv,
    USAGE,
    {
      'dry-run': { type: 'boolean', default: false },
      out: { type: 'string' },
      id: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      village: { type: 'string' },
      site: { type: 'string' },
      interval: { type: 'string' },
      parent: { type: 'string' },
    },
    process.env.HUB_TOKEN,
  );
  if ('usageExit' in parsed) return parsed.usageExit;
  const { command, arg, values } = parsed;
  if (!values.token) {
    throw new CliError('no API token: pass --token or set HUB_TOKEN (npm run users -- token --name …)');
  }
  const api = createHubClient({ baseUrl: values.hub, token: values.token });
  switch (command) {
    case 'import': {
      const csv = fs.readFileSync(required(arg, 'import needs a CSV file'), 'utf8');
      const report = await importReport(api, csv, values['dry-run']);
      for (const w of report.warnings) console.error(`warning: ${w}`);
      for (const e of report.errors) console.error(`line ${e.line}${e.id ? ` (${e.id})` : ''}: ${e.message}`);
      if (report.errors.length > 0) {
        console.error(`${report.errors.length} bad row(s) of ${report.rows}: nothing was imported`);
        return 1;
      }
      if (report.dryRun) {
        console.error(`dry run: all ${report.rows} row(s) are valid`);
        return 0;
      }
      writeSecrets(report.created, values.out);
      console.error(`imported ${report.created.length} device(s)`);
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
      // The hub validates the fields (kind, id, interval) and says which one is wrong.
      const created = await attempt(api.deviceCreate({ body: body as DeviceCreate }));
      writeSecrets([created], values.out);
      return 0;
    }
    case 'rotate': {
      const id = required(arg, 'rotate needs a device id');
      writeSecrets([await attempt(api.deviceRotateSecret({ params: { id } }))], values.out);
      return 0;
    }
    case 'disable':
    case 'enable': {
      const id = required(arg, `${command} needs a device id`);
      await attempt(api.deviceUpdate({ params: { id }, body: { disabled: command === 'disable' } }));
      console.error(`${id}: ${command}d`);
      return 0;
    }
    case 'list': {
      const devices = await attempt(api.deviceList());
      process.stdout.write(
        stringify(
          // Names are people's text: neutralised for spreadsheets, control characters shown, not run by the terminal.
          devices.map((d) => [d.id, d.kind, cell(d.name), cell(d.village), d.status, d.lastSeen ?? '']),
          { header: true, columns: ['id', 'kind', 'name', 'village', 'status', 'last_seen'] },
        ),
      );
      return 0;
    }
    default:
      throw new CliError(`unknown command ${command}\n${USAGE}`);
  }
}

runCli(main);
