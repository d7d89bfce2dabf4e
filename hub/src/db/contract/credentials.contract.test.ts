// CredentialRepository on SQLite and PostgreSQL: the current secret works, a rotated one stops working,
// and the hash a restart reads is the last one written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newCredentials } from '../../registry/secrets.ts';
import { DIALECTS, openStorage, type StorageHarness } from './harness.ts';

describe.each(DIALECTS)('credential repository contract: %s', (dialect) => {
  let h: StorageHarness;
  beforeEach(async () => {
    h = await openStorage(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('checks the current secret, refuses the rotated one, and keeps the rotation across a restart', async () => {
    const first = await newCredentials();
    h.registry.create({ id: 'd', kind: 'wifi', name: 'D', village: 'Thôn A' }, 0, first);
    expect(await h.registry.checkSecret('d', first.secret)).toBe(true);
    const second = await newCredentials();
    expect(h.registry.rotateSecret('d', second)).toBe(second.secret);
    await h.registry.durable();
    expect(await h.registry.checkSecret('d', first.secret)).toBe(false);
    const again = await h.reopen();
    expect(await again.checkSecret('d', second.secret)).toBe(true);
    expect(await again.checkSecret('d', first.secret)).toBe(false);
  });

  it('refuses a disabled device and an unknown one', async () => {
    const c = await newCredentials();
    h.registry.create({ id: 'd', kind: 'wifi', name: 'D', village: 'Thôn A' }, 0, c);
    expect(await h.registry.checkSecret('d', c.secret)).toBe(true);
    h.registry.update('d', { disabled: true });
    expect(await h.registry.checkSecret('d', c.secret)).toBe(false);
    expect(await (await h.reopen()).checkSecret('d', c.secret)).toBe(false);
    expect(await h.registry.checkSecret('nobody', c.secret)).toBe(false);
  });
});
