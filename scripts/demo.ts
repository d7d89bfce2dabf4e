/**
 * `npm start`: the whole product on one machine with nothing to install — the hub (MQTT broker, REST,
 * socket.io, embedded SQLite store), the dashboard, and a simulated commune (Hoàng Kim by default)
 * whose devices connect over real MQTT with their own credentials.
 *
 * Settings: the hub's HUB_* variables (README), plus DEMO_SCENARIO (a name in simulators/scenarios or a
 * path) and DEMO_SPEED (time acceleration of the simulated devices, default 1).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFirstAdmin, startHub } from '@commune-hub/hub';
import { loadScenario, runLive } from '@commune-hub/simulators';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const hub = await startHub({
    webDir: process.env.HUB_WEB_DIR ?? path.join(root, 'web/dist'),
    logLevel: (process.env.HUB_LOG_LEVEL as 'warn' | undefined) ?? 'warn',
  });
  // The demo's first admin: a fresh password each start (printed below), and an API token for provisioning.
  const login = { username: 'admin', password: randomBytes(9).toString('base64url') };
  const { userId } = await ensureFirstAdmin(hub.app, { ...login, resetPassword: true });
  const { token } = await hub.app.auth.createToken(userId, `npm start ${new Date().toISOString()}`);
  const scenarioName = process.env.DEMO_SCENARIO ?? 'hoang-kim';
  const scenario = loadScenario(scenarioName);
  const dashboard = hub.httpUrl.replace('127.0.0.1', 'localhost');
  console.log(
    `Commune Hub — ${scenario.commune}: hub up, provisioning ${scenario.devices.length} simulated devices…`,
  );
  const sim = await runLive({
    scenario,
    mqttUrl: hub.mqttUrl,
    hubUrl: hub.httpUrl,
    adminToken: token,
    speed: Number(process.env.DEMO_SPEED ?? 1),
    waitReady: true,
    onProvisionProgress: (done, total) => {
      if (done === total || done % 50 === 0) console.log(`  provisioned ${done}/${total}`);
    },
  });
  console.log(
    [
      '',
      `  Dashboard:   ${dashboard}/`,
      `  REST API:    ${dashboard}/api/devices`,
      `  MQTT broker: ${hub.mqttUrl}`,
      `  Sign in:     user ${login.username}, password ${login.password}   (new each start)`,
      `  API token:   ${token}   (admin; for scripts: Authorization: Bearer …)`,
      `  Data:        ${hub.config.dataDir}`,
      `  Simulated:   ${sim.devices.length} devices of ${scenario.commune} (scenario ${scenario.name})`,
      '',
      '  Ctrl-C stops the simulation and the hub.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    await sim.stop();
    await hub.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error('demo failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
