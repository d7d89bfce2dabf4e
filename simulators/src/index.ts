/**
 * Programmatic API of the simulators (see simulators/README.md):
 * load a scenario, run it live or as a backfill, and read the ground truth back.
 */
export {
  type BackfillOptions,
  type BackfillProgress,
  type BackfillSummary,
  runBackfill,
} from './backfill/run-backfill.ts';
export { SimError, type SimErrorCode } from './errors.ts';
export { type LiveHandle, type LiveOptions, type LiveProgress, runLive } from './live/run-live.ts';
export { createLogger } from './logger.ts';
export { type Credentials, provisionDevices, readCredentials, writeCredentials } from './provision.ts';
export {
  limitDevices,
  loadScenario,
  parseScenario,
  SCENARIOS_DIR,
  type Scenario,
  type SimDevice,
} from './scenario/load.ts';
export { buildPlan, type Plan } from './timeline/generate.ts';
export { truthOfPlan } from './truth/recorder.ts';
export type { Truth, TruthDevice } from './truth/types.ts';
export {
  deviceUptime,
  type ExpectedUptime,
  expectedUptime,
  type HubExpectedUptime,
  type HubViewOptions,
  hubView,
  maintenanceSpans,
  readTruth,
  uptimeReport,
} from './truth/uptime.ts';
