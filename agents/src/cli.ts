#!/usr/bin/env -S npx tsx
import { DeviceAgent } from './agent.ts';
import { type AgentConfig, HELP_TEXT, parseAgentCli } from './config.ts';
import { AgentError } from './errors.ts';
import { runDiscoverCli } from './gateway/discover-cli.ts';
import { GATEWAY_DEFAULTS, GatewayAgent } from './gateway/gateway.ts';
import { createAgentLogger, type Logger } from './logger.ts';

function main(): void {
  if (process.argv[2] === 'discover') {
    runDiscoverCli(process.argv.slice(3)).then(
      (code) => process.exit(code),
      (err: unknown) => {
        console.error(`commune-agent discover: ${(err as Error).message}`);
        process.exit(1);
      },
    );
    return;
  }
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
  if (config.kind === 'gateway') {
    runGateway(config, logger);
    return;
  }
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

function runGateway(config: AgentConfig, logger: Logger): void {
  const gateway = new GatewayAgent(
    config,
    { ...GATEWAY_DEFAULTS, concurrency: config.probeConcurrency, probeTimeoutMs: config.probeTimeoutMs },
    { logger },
  );
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  gateway.start();
  logger.info({ deviceId: config.id, hub: config.hubUrl }, 'gateway started');
}

main();
