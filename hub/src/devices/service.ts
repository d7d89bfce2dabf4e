import type { DeviceCreate, DeviceUpdate, Village, VillageUpdate } from '@commune-hub/protocol';
import type { Clock } from '../clock.ts';
import { HubError } from '../errors.ts';
import type { EventBus } from '../events/bus.ts';
import { applyImport, type ImportPlan, planImport } from '../registry/csv-import.ts';
import type { DeviceRecord, Registry } from '../registry/registry.ts';
import { newCredentials } from '../registry/secrets.ts';
import { changedFields } from '../registry/shared-storage.ts';

/**
 * Every change to a device's identity goes through here: it writes through the registry, then says what
 * happened on the event bus. Whoever must react (liveness tracks a new device, the broker closes a
 * disabled device's connection, realtime tells the dashboards) listens there, so a route cannot forget one.
 * Events go out only after the write committed: with HUB_DB=postgres each method awaits `durable()`.
 */
export class DeviceService {
  constructor(
    private readonly registry: Registry,
    private readonly events: EventBus,
    private readonly clock: Clock,
    /** Secrets a bulk import hashes at once (HUB_IMPORT_HASH_CONCURRENCY). */
    private readonly importHashConcurrency = 1,
  ) {}

  private mustGet(id: string): DeviceRecord {
    const record = this.registry.get(id);
    if (!record) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${id}`);
    return record;
  }

  get(id: string): DeviceRecord | undefined {
    return this.registry.get(id);
  }

  /** Registers one device; the secret is returned once and only its hash is kept. */
  async create(input: DeviceCreate): Promise<{ record: DeviceRecord; secret: string }> {
    const credentials = await newCredentials();
    const now = this.clock.now();
    const created = this.registry.create(input, now, credentials);
    await this.registry.durable();
    this.events.emit('device.created', { device: created.record, at: now });
    return created;
  }

  /** Checks a device spreadsheet (CSV) row by row without changing anything. */
  planImport(csv: string): ImportPlan {
    return planImport(csv, this.registry);
  }

  /** Applies a checked plan in one transaction; `device.created` goes out per device once it committed. */
  async import(plan: ImportPlan): Promise<Array<{ id: string; secret: string }>> {
    const now = this.clock.now();
    const created = await applyImport(plan, this.registry, now, this.importHashConcurrency);
    await this.registry.durable();
    for (const { id } of created) {
      const device = this.registry.get(id);
      if (device) this.events.emit('device.created', { device, at: now });
    }
    return created;
  }

  /** Edits identity fields; disabling closes the device's connection (the broker listens for `device.disabled`). */
  async update(id: string, patch: DeviceUpdate): Promise<DeviceRecord> {
    const before = this.mustGet(id);
    const device = this.registry.update(id, patch);
    await this.registry.durable();
    const changes = changedFields(before, device);
    if (changes.length === 0) return device;
    const at = this.clock.now();
    this.events.emit('device.updated', { device, before, changes, at });
    if (device.disabled && !before.disabled) this.events.emit('device.disabled', { device, at });
    return device;
  }

  disable(id: string): Promise<DeviceRecord> {
    return this.update(id, { disabled: true });
  }

  /** Issues a new secret; the old one stops working and its connection is closed. */
  async rotateSecret(id: string): Promise<string> {
    this.mustGet(id);
    const secret = this.registry.rotateSecret(id, await newCredentials());
    await this.registry.durable();
    this.events.emit('device.secretRotated', { deviceId: id, at: this.clock.now() });
    return secret;
  }

  /** Renames a village or moves it to another commune; its devices keep their ids and follow it. */
  async updateVillage(id: string, patch: VillageUpdate): Promise<Village> {
    const village = this.registry.updateVillage(id, patch);
    await this.registry.durable();
    const devices = this.registry.list().filter((d) => d.villageId === id);
    this.events.emit('village.updated', { villageId: id, devices, at: this.clock.now() });
    return village;
  }
}
