import { BrowserRouter } from 'react-router';
import { AppRoutes } from './app/routes.tsx';

/** The dashboard: one router over every page (web/src/app/routes.tsx holds the addresses). */
export function App() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
