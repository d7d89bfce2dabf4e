/** "Chỉ tiêu hạ tầng số": the criteria page and how to reach it (the lead's router replaces the path hook). */
export { CriteriaPage } from './components/CriteriaPage.tsx';
export { MainNav } from './components/MainNav.tsx';
export { CRITERIA_PATH } from './constants.ts';
export { navigate, usePathname } from './urlState.ts';
