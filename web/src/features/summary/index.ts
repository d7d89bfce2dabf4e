// The summary feature's public surface: other features and the app import only from here.
export { KindSummary } from './components/KindSummary.tsx';
export {
  countStatuses,
  isWorking,
  type KindCount,
  STATUS_DISPLAY_ORDER,
  type StatusCounts,
  summarizeByKind,
} from './summarize.ts';
