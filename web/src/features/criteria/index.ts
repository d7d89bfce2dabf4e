/** "Chỉ tiêu hạ tầng số": the criteria page and its path (the app's nav links to it). */
export { CriteriaPage } from './components/CriteriaPage.tsx';
export { CRITERIA_PATH } from './constants.ts';
