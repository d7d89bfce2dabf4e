/**
 * What the terminal tools (`npm run devices`, `npm run users`) share: the hub and token flags, usage on
 * -h or no command, hub refusals said as one line, and exit codes (0 done, 1 failed, 2 misused).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { HubApiError } from '@commune-hub/protocol/client';

/** A mistake of the caller or a refusal of the hub, printed as `error: …` (exit 2). */
export class CliError extends Error {}

/** A failed call of the typed client becomes a CliError that says what the hub answered. */
export function cliError(err: unknown): unknown {
  if (!(err instanceof HubApiError)) return err;
  if (err.status === 0) return new CliError(err.message);
  return new CliError(`hub answered ${err.status} ${err.code}: ${err.message}`);
}

/** Awaits a client call, turning the hub's refusal into a CliError. */
export async function attempt<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw cliError(err);
  }
}

/** The positional argument a command needs, or a CliError saying so. */
export function required(value: string | undefined, what: string): string {
  if (!value) throw new CliError(what);
  return value;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type ParseResult<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** The flags of every tool: where the hub is and the API token (from the environment by default). */
const hubOptions = (tokenEnv: string | undefined) => ({
  hub: { type: 'string' as const, default: process.env.HUB_URL ?? 'http://127.0.0.1:8080' },
  token: { type: 'string' as const, default: tokenEnv ?? '' },
  help: { type: 'boolean' as const, short: 'h', default: false },
});

type Parsed<O extends Options> = ParseResult<{
  args: string[];
  allowPositionals: true;
  options: ReturnType<typeof hubOptions> & O;
}>;

/**
 * Parses `<command> [arg] --flags` with the hub flags added to the tool's own. `usageExit` after printing
 * the usage (asked for: 0; no command: 2).
 */
export function parseCommand<O extends Options>(
  argv: string[],
  usage: string,
  options: O,
  tokenEnv: string | undefined,
): { usageExit: number } | { command: string; arg: string | undefined; values: Parsed<O>['values'] } {
  const config = {
    args: argv,
    allowPositionals: true as const,
    options: { ...hubOptions(tokenEnv), ...options },
  };
  const { values, positionals } = parseArgs(config) as Parsed<O>;
  const [command, arg] = positionals;
  const { help } = values as { help: boolean }; // always there: hubOptions has it
  if (help || !command) {
    console.log(usage);
    return { usageExit: help ? 0 : 2 };
  }
  return { command, arg, values };
}

/** Runs a tool's main and exits: its code, 2 for a CliError or bad flags, 1 for anything else. */
export function runCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof CliError ? `error: ${err.message}` : err);
      process.exit(
        err instanceof CliError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1,
      );
    },
  );
}
