import './auth.css';

export { useSession } from './api/session.ts';
export { AuthGate, SessionBar } from './components/AuthGate.tsx';
export { LoginPage } from './components/LoginPage.tsx';
