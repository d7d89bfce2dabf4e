import { runWorkersIfAsked } from './cluster/workers.ts';
import { HubError } from './errors.ts';
import { startHub } from './index.ts';
import { BUILT_WEB_DIR } from './paths.ts';

/**
 * `npm run hub` (built: `node hub/dist/server.js`): the hub for real devices. Settings from HUB_*
 * environment variables (see README). Serves the built dashboard (web/dist) unless HUB_WEB_DIR says
 * otherwise (empty: API only). Stops cleanly on SIGINT/SIGTERM so devices' live state and the hub's run
 * record are saved.
 */
async function main(): Promise<void> {
  // HUB_WORKERS=N: this process only supervises N hub nodes sharing the ports (./cluster/workers.ts).
  if (await runWorkersIfAsked()) return;
  const hub = await startHub(process.env.HUB_WEB_DIR === undefined ? { webDir: BUILT_WEB_DIR } : {});
  const log = hub.app.log;
  log.info(
    { http: hub.httpUrl, mqtt: hub.mqttUrl, mqtts: hub.mqttsUrl, dataDir: hub.config.dataDir },
    'commune hub listening',
  );
  if (hub.generatedToken) {
    console.log(`\nAdmin token (generated; set HUB_ADMIN_TOKEN to keep one): ${hub.adminToken}\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await hub.close();
    process.exit(0);
  };
  // SIGHUP: a renewed certificate (certbot, the commune's CA) is taken without dropping devices.
  process.on('SIGHUP', () => {
    try {
      hub.reloadTls();
      log.info({ cert: hub.config.tlsCert }, 'TLS certificate reloaded');
    } catch (err) {
      log.error({ err }, 'TLS certificate not reloaded: the old one stays');
    }
  });
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof HubError) {
    console.error(`commune hub: ${err.code}: ${err.message}`);
  } else {
    console.error('commune hub failed to start:', err);
  }
  process.exit(1);
});
