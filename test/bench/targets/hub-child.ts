/**
 * The full hub (startHub with the embedded store) in its own process so its RSS and CPU are its own.
 * Tells the parent its URLs over IPC and closes cleanly when the parent goes away.
 */
import { ensureFirstAdmin, startHub } from '@commune-hub/hub';

const dataDir = process.env.BENCH_HUB_DATA_DIR;
const adminToken = process.env.BENCH_HUB_TOKEN ?? 'bench-admin-token-0123456789';
if (!dataDir) throw new Error('hub-child: BENCH_HUB_DATA_DIR is required');

const hub = await startHub({
  dataDir,
  httpHost: '127.0.0.1',
  httpPort: 0,
  mqttHost: '127.0.0.1',
  mqttPort: 0,
  adminToken,
  logLevel: 'warn',
});
// The bench's token is the first admin's personal API token (HUB_ADMIN_TOKEN itself only creates that admin).
await ensureFirstAdmin(hub.app, { username: 'bench', password: 'bench-admin-password', token: adminToken });
process.send?.({ httpUrl: hub.httpUrl, mqttUrl: hub.mqttUrl });

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(0), 10_000).unref();
  hub.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);
