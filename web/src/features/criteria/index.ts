/** "Chỉ tiêu hạ tầng số": the criteria page and its path (the app's nav links to it). */
export { CriteriaPage } from './components/CriteriaPage.tsx';
export { CRITERIA_PATH } from './constants.ts';
/** Reporting periods (tháng, quý, năm in Vietnam time): the uptime page picks its period with the same keys. */
export {
  evaluationRange,
  type Period,
  type PeriodKind,
  parsePeriodKey,
  periodContaining,
  periodLabel,
  shiftPeriod,
} from './period.ts';
