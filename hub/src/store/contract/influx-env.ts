import { randomBytes } from 'node:crypto';

/** The InfluxDB server test/setup/global-setup.ts started for this vitest run. */
export function testInflux(): { url: string; username: string; password: string } {
  const url = process.env.HUB_TEST_INFLUX_URL;
  const username = process.env.HUB_TEST_INFLUX_USERNAME;
  const password = process.env.HUB_TEST_INFLUX_PASSWORD;
  if (!url || !username || !password) {
    throw new Error(
      'HUB_TEST_INFLUX_* not set: run through vitest (test/setup/global-setup.ts starts influxd)',
    );
  }
  return { url, username, password };
}

export function uniqueDatabase(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Runs one InfluxQL statement as the admin user (test housekeeping such as DROP DATABASE). */
export async function adminQuery(q: string): Promise<unknown> {
  const { url, username, password } = testInflux();
  const res = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64') },
    body: new URLSearchParams({ q }),
  });
  if (!res.ok) throw new Error(`influxd refused ${q}: ${res.status} ${await res.text()}`);
  return res.json();
}
