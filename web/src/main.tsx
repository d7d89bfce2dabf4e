import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AuthGate, checkSessionEnded } from './features/auth/index.ts';
import { RealtimeProvider } from './features/realtime/index.ts';
import { I18nProvider } from './i18n/I18nProvider.tsx';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 2, refetchOnWindowFocus: false } },
});

/**
 * The public status pages (/trang-thai/…) are for citizens: they read only their group's public API and
 * open no live socket, whose snapshot carries every device with its id and metrics.
 */
const isPublicPage = window.location.pathname.startsWith('/trang-thai/');

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        {isPublicPage ? (
          <App />
        ) : (
          <AuthGate>
            <RealtimeProvider onRefused={() => void checkSessionEnded()}>
              <App />
            </RealtimeProvider>
          </AuthGate>
        )}
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
