#!/usr/bin/env -S npx tsx
import { DeviceAgent } from './agent.ts';
import { HELP_TEXT, parseAgentCli } from './config.ts';
import { AgentError } from './errors.ts';
import { createAgentLogger } from './logger.ts';

function main(): void {
  let parsed: ReturnType<typeof parseAgentCli>;
  try {
    parsed = parseAgentCli(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof AgentError) {
      console.error(`commune-agent: ${err.message} [${err.code}]`);
      process.exit(2);
    }
    throw err;
  }
  if (parsed.help) {
    console.log(HELP_TEXT);
    return;
  }
  const { config } = parsed;
  const logger = createAgentLogger(config.logLevel);
  const agent = new DeviceAgent(config, { logger });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    agent.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  agent.start().then(
    () =>
      logger.info(
        { deviceId: config.id, kind: config.kind, hub: config.hubUrl, intervalS: config.intervalS },
        'agent started',
      ),
    (err: unknown) => {
      logger.fatal({ err }, 'agent could not start');
      process.exit(1);
    },
  );
}

main();
