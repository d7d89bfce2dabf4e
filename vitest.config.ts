import { defineConfig } from 'vitest/config';

// One vitest run covers every workspace. Tests start real servers (aedes, fastify, InfluxDB, Chromium),
// so they get generous timeouts; no test asserts on wall-clock speed.
export default defineConfig({
  test: {
    include: ['{protocol,hub,agents,simulators,web,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers only fight over them while real servers start.
    maxWorkers: 2,
    globalSetup: ['test/setup/global-setup.ts'],
  },
});
