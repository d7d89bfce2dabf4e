/**
 * A hub in a process of its own, for tests that kill it (SIGKILL) and look at what survived. Settings come
 * from the environment like a real hub's (HUB_DATA_DIR, HUB_COMMIT_INTERVAL_MS, ...); ports are ephemeral.
 * Tells the parent its URLs over IPC.
 */
import { ensureFirstAdmin, startHub } from '@commune-hub/hub';

const hub = await startHub({
  httpHost: '127.0.0.1',
  httpPort: 0,
  mqttHost: '127.0.0.1',
  mqttPort: 0,
  logLevel: 'warn',
});
// The first admin, whose personal API token is the hub's admin token (see test/support/hub.ts).
await ensureFirstAdmin(hub.app, {
  username: 'admin',
  password: 'test-admin-password',
  token: hub.adminToken,
});
process.send?.({ httpUrl: hub.httpUrl, mqttUrl: hub.mqttUrl, adminToken: hub.adminToken });
process.on('disconnect', () => {
  hub.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
