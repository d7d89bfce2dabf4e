export { type AgentDeps, type AgentStats, DeviceAgent } from './agent.ts';
export { type Clock, type Scheduler, systemClock, systemScheduler } from './clock.ts';
export { type AgentConfig, CONFIG_DEFAULTS, HELP_TEXT, parseAgentCli } from './config.ts';
export { AGENT_ERROR_CODES, AgentError, type AgentErrorCode } from './errors.ts';
export { assertValidHeartbeat, buildHeartbeat } from './heartbeat.ts';
export { collectMeta } from './meta.ts';
export * from './probes/index.ts';
export { SeqCounter } from './seq-counter.ts';
export { HeartbeatSpool, type SpoolStats } from './spool.ts';
