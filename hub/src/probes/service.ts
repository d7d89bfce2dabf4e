import {
  channels,
  deviceTopic,
  PROBE_CONFIG_VERSION,
  type ProbeConfigMessage,
  type ProbeTarget,
  type ProbeTargetView,
} from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import type { Counter } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { DeviceService } from '../devices/service.ts';
import { HubError } from '../errors.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../logger.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import { open, seal } from './crypto.ts';
import { type ProbeImportPlan, planProbeColumns } from './csv-columns.ts';
import type { ProbeTargetRepository } from './repository.ts';
import {
  checkTarget,
  joinSecrets,
  ProbeConfigError,
  type ProbeSecrets,
  splitSecrets,
  toView,
} from './target.ts';

/** Publishes a retained message on the broker (the MqttBroker in the hub; a recorder in tests). */
export type RetainedPublisher = (topic: string, payload: string) => Promise<void>;

export interface ProbeServiceDeps {
  repository: ProbeTargetRepository;
  devices: DeviceService;
  listDevices: () => DeviceRecord[];
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** 32-byte AES key from HUB_PROBE_KEY; without it targets with credentials are refused. */
  key: Buffer | undefined;
  publish: RetainedPublisher;
  rejected: Counter<'field'>;
  published: Counter;
  /**
   * Cluster mode: whether this node publishes configs for changes it did not make itself (device events
   * every node hears, the configs at boot): the leader only, so a gateway gets one config per change, not
   * one per node. Absent: always (a sole node).
   */
  isLeader?: () => boolean;
}

interface StoredTarget {
  target: ProbeTarget;
  updatedAt: number;
}

/**
 * Probe targets of child devices: set over the API or the CSV import, stored with their credentials
 * sealed, and delivered to each gateway as one retained `cmd` message whenever one of its children's
 * configuration changes (its own changes, or a device.* event that adds, moves or disables a child).
 */
export class ProbeService {
  private readonly targets = new Map<string, StoredTarget>();
  private readonly revs = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: ProbeServiceDeps) {}

  /** Loads the stored targets (opening their credentials once) and publishes every gateway's config. */
  private load(): void {
    this.targets.clear();
    for (const row of this.deps.repository.all()) {
      const publicPart = JSON.parse(row.publicJson) as ProbeTarget;
      let secrets: ProbeSecrets = {};
      if (row.sealedSecrets) {
        if (!this.deps.key) {
          this.deps.logger.error({ deviceId: row.deviceId }, 'stored probe credentials but no HUB_PROBE_KEY');
        } else secrets = JSON.parse(open(this.deps.key, row.sealedSecrets, row.deviceId)) as ProbeSecrets;
      }
      this.targets.set(row.deviceId, { target: joinSecrets(publicPart, secrets), updatedAt: row.updatedAt });
    }
  }

  private get leading(): boolean {
    return this.deps.isLeader?.() ?? true;
  }

  /**
   * Targets another node changed (HUB_DB=postgres): read again; the leader republishes the gateways of
   * those children, so what a gateway holds follows the shared rows even if a device event came first.
   */
  followed(deviceIds: Iterable<string>): void {
    this.load();
    if (!this.leading) return;
    this.republishFor([...deviceIds].map((id) => this.deps.devices.get(id)?.parentId ?? null));
  }

  /** This node became the leader: every gateway's config from the shared targets. */
  async publishAll(): Promise<void> {
    this.load();
    const gateways = this.deps
      .listDevices()
      .filter((d) => d.kind === 'gateway')
      .map((d) => d.id);
    await Promise.all(gateways.map((g) => this.publishGateway(g)));
  }

  /** Loads the stored targets (opening their credentials once) and publishes every gateway's config. */
  async start(): Promise<void> {
    this.load();
    const { events } = this.deps;
    this.unsubscribe.push(
      events.on('device.created', ({ device }) => this.republishFor([device.parentId])),
      events.on('device.updated', ({ device, before, changes }) => {
        if (changes.some((c) => c === 'parentId' || c === 'disabled' || c === 'intervalS'))
          this.republishFor([device.parentId, before.parentId]);
      }),
      events.on('device.disabled', ({ device }) => this.republishFor([device.parentId, device.id])),
    );
    if (!this.leading) return;
    const gateways = new Set(
      this.deps
        .listDevices()
        .filter((d) => d.kind === 'gateway')
        .map((d) => d.id),
    );
    await Promise.all([...gateways].map((g) => this.publishGateway(g)));
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  get(deviceId: string): ProbeTargetView {
    const device = this.mustGet(deviceId);
    const stored = this.targets.get(deviceId);
    if (!stored) throw new HubError('HUB_ERR_NOT_FOUND', `device ${deviceId} has no probe target`);
    return toView(deviceId, device.parentId, stored.target, stored.updatedAt);
  }

  /** The full target, credentials included: only for building a gateway's config. */
  targetOf(deviceId: string): ProbeTarget | undefined {
    return this.targets.get(deviceId)?.target;
  }

  /**
   * Sets (replaces) a child's target. A secret field left out keeps the stored one, so the dashboard can
   * edit an address without knowing the password. Refused with HUB_ERR_PROBE_CONFIG naming the field.
   */
  async set(deviceId: string, input: ProbeTarget): Promise<ProbeTargetView> {
    const device = this.mustGet(deviceId);
    const target = this.validate(device, input);
    const now = this.deps.clock.now();
    const { publicPart, secrets } = splitSecrets(target);
    const hasSecrets = Object.keys(secrets).length > 0;
    this.deps.repository.save({
      deviceId,
      publicJson: JSON.stringify(publicPart),
      sealedSecrets: hasSecrets ? seal(this.deps.key!, JSON.stringify(secrets), deviceId) : null,
      updatedAt: now,
    });
    this.targets.set(deviceId, { target, updatedAt: now });
    // The child's heartbeats come at the probe interval: liveness must expect them at that pace.
    if (device.intervalS !== target.intervalS) {
      await this.deps.devices.update(deviceId, { intervalS: target.intervalS }); // device.updated republishes
    }
    await this.publishGateway(device.parentId!);
    return toView(deviceId, device.parentId, target, now);
  }

  /** Checks a target without storing it (the CSV import's dry run). */
  validate(device: DeviceRecord, input: ProbeTarget): ProbeTarget {
    try {
      if (!device.parentId) {
        throw new ProbeConfigError('parent', `device ${device.id} has no gateway parent to probe it`);
      }
      const parent = this.deps.devices.get(device.parentId);
      if (parent?.kind !== 'gateway') {
        throw new ProbeConfigError('parent', `${device.parentId} is not a gateway`);
      }
      const stored = this.targets.get(device.id)?.target;
      const merged = stored ? joinSecrets(input, splitSecrets(stored).secrets) : input;
      // Secret fields the input leaves out keep their stored values; those it names win.
      const target = checkTarget(mergeInput(merged, input));
      if (Object.keys(splitSecrets(target).secrets).length > 0 && !this.deps.key) {
        throw new HubError(
          'HUB_ERR_PROBE_KEY_MISSING',
          'probe credentials need HUB_PROBE_KEY (32 bytes, e.g. openssl rand -hex 32) to be stored encrypted',
        );
      }
      return target;
    } catch (err) {
      if (err instanceof ProbeConfigError) this.deps.rejected.inc({ field: err.field });
      else if (err instanceof HubError) this.deps.rejected.inc({ field: '(key)' });
      throw err;
    }
  }

  /** Checks the probe columns of a device spreadsheet (see csv-columns.ts); nothing is stored. */
  planImport(csv: string): ProbeImportPlan {
    const plan = planProbeColumns(csv);
    if (!this.deps.key) {
      for (const t of plan.targets) {
        if (Object.keys(splitSecrets(t.target).secrets).length > 0) {
          plan.errors.push({
            line: t.line,
            id: t.id,
            message: 'probe credentials need HUB_PROBE_KEY to be stored encrypted',
          });
        }
      }
    }
    return plan;
  }

  /** Stores the targets of an import whose devices were just created (one config publish per gateway). */
  async applyImport(plan: ProbeImportPlan): Promise<void> {
    for (const { id, target } of plan.targets) await this.set(id, target);
  }

  async delete(deviceId: string): Promise<void> {
    const device = this.mustGet(deviceId);
    if (!this.targets.delete(deviceId)) {
      throw new HubError('HUB_ERR_NOT_FOUND', `device ${deviceId} has no probe target`);
    }
    this.deps.repository.delete(deviceId);
    if (device.parentId) await this.publishGateway(device.parentId);
  }

  /** The whole probe configuration of one gateway: its enabled children that have a target. */
  configFor(gatewayId: string): ProbeConfigMessage {
    const now = this.deps.clock.now();
    const rev = Math.max(now, (this.revs.get(gatewayId) ?? 0) + 1);
    this.revs.set(gatewayId, rev);
    const children = this.deps
      .listDevices()
      .filter((d) => d.parentId === gatewayId && !d.disabled && this.targets.has(d.id))
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((d) => ({ id: d.id, kind: d.kind, target: this.targets.get(d.id)!.target }));
    return { v: PROBE_CONFIG_VERSION, type: 'probeConfig', gateway: gatewayId, rev, issuedAt: now, children };
  }

  async publishGateway(gatewayId: string): Promise<void> {
    const gateway = this.deps.devices.get(gatewayId);
    if (gateway?.kind !== 'gateway') return;
    const message = this.configFor(gatewayId);
    if (!Value.Check(channels.cmd.schema, message)) {
      const first = Value.Errors(channels.cmd.schema, message).First();
      this.deps.logger.error({ gatewayId, path: first?.path }, 'built an invalid probe config; not sent');
      return;
    }
    await this.deps.publish(deviceTopic(gatewayId, 'cmd'), JSON.stringify(message));
    this.deps.published.inc();
    this.deps.logger.info(
      { gatewayId, rev: message.rev, children: message.children.length },
      'probe config published',
    );
  }

  private republishFor(ids: Array<string | null>): void {
    // Device events reach every node of a cluster: the leader alone answers them.
    if (!this.leading) return;
    const gateways = new Set(ids.filter((id): id is string => id !== null));
    for (const id of gateways) {
      this.publishGateway(id).catch((err: unknown) =>
        this.deps.logger.error({ err, gatewayId: id }, 'could not publish probe config'),
      );
    }
  }

  private mustGet(id: string): DeviceRecord {
    const device = this.deps.devices.get(id);
    if (!device) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${id}`);
    return device;
  }
}

/** Stored secrets under the input, then the input's own secret fields on top. */
function mergeInput(merged: ProbeTarget, input: ProbeTarget): ProbeTarget {
  const result: ProbeTarget = { ...merged };
  if (input.password !== undefined) result.password = input.password;
  if (input.snmp) result.snmp = { ...merged.snmp, ...input.snmp } as ProbeTarget['snmp'];
  return result;
}
