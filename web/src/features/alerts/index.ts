import './alerts.css';

export { AlertBanner } from './components/AlertBanner.tsx';
export { AlertsPage } from './components/AlertsPage.tsx';
export {
  CAUSE_LABELS,
  CHANNEL_KIND_LABELS,
  CONDITION_LABELS,
  DELIVERY_STATE_LABELS,
  OUTSIDE_SCHEDULE_LABELS,
  STATE_LABELS,
} from './labels.ts';
