// Global setup for the whole vitest run. Servers that many test files share (InfluxDB, PostgreSQL) are
// started here and their addresses handed to tests through environment variables (HUB_TEST_INFLUX_*,
// HUB_TEST_PG_URL: a superuser URL; tests create a database each, test/support/postgres.ts).
import { startInfluxd } from './influxd.ts';
import { startPostgres } from './postgres.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const [influx, postgres] = await Promise.all([startInfluxd(), startPostgres()]);
  process.env.HUB_TEST_INFLUX_URL = influx.url;
  process.env.HUB_TEST_INFLUX_USERNAME = influx.username;
  process.env.HUB_TEST_INFLUX_PASSWORD = influx.password;
  process.env.HUB_TEST_INFLUX_DATABASE = influx.database;
  process.env.HUB_TEST_PG_URL = postgres.url;
  return async () => {
    await Promise.all([influx.stop(), postgres.stop()]);
  };
}
