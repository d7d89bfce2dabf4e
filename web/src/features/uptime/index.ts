// The uptime feature's public surface ("Thời gian hoạt động"): the app imports only from here.
import './uptime.css';

export { PeriodPicker } from './components/PeriodPicker.tsx';
export { UptimeBar } from './components/UptimeBar.tsx';
export { UptimePage } from './components/UptimePage.tsx';
export { UPTIME_WORDS } from './words.ts';
