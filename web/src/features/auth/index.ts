import './auth.css';

export { useRole, VIEWER_NOTICE } from './api/role.ts';
export { checkSessionEnded, useSession } from './api/session.ts';
export { AuthGate, SessionBar } from './components/AuthGate.tsx';
export { LoginPage } from './components/LoginPage.tsx';
