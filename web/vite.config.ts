import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run build:web` runs `vite build web`, so paths here are relative to web/. The hub serves dist/ at '/'.
const hub = process.env['COMMUNE_HUB_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': hub,
      '/socket.io': { target: hub, ws: true },
    },
  },
});
