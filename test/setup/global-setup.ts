// Global setup for the whole vitest run. Servers that many test files share (InfluxDB) are started here
// and their addresses handed to tests through environment variables (HUB_TEST_INFLUX_*).
import { startInfluxd } from './influxd.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const influx = await startInfluxd();
  process.env.HUB_TEST_INFLUX_URL = influx.url;
  process.env.HUB_TEST_INFLUX_USERNAME = influx.username;
  process.env.HUB_TEST_INFLUX_PASSWORD = influx.password;
  process.env.HUB_TEST_INFLUX_DATABASE = influx.database;
  return async () => {
    await influx.stop();
  };
}
