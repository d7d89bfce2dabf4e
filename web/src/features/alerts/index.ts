import './alerts.css';

export { AlertBanner } from './components/AlertBanner.tsx';
export { AlertsPage } from './components/AlertsPage.tsx';
