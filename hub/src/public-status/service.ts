import { randomBytes } from 'node:crypto';
import type {
  DeviceStatus,
  PublicDeviceStatus,
  PublicGroup,
  PublicGroupInput,
  PublicReport,
  PublicStatus,
  PublicStatusPage,
} from '@commune-hub/protocol';
import type { Clock } from '../clock.ts';
import { localMonthStart, localParts } from '../criteria/period.ts';
import { HubError } from '../errors.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../logger.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import type { GroupRow, PublicStatusRepository, ReportRow } from './repository.ts';

/** What a citizen is told for each status of the hub: no reason, no time, no metric. */
const PUBLIC_STATUS: Record<DeviceStatus, PublicStatus> = {
  online: 'up',
  degraded: 'degraded',
  offline: 'down',
  maintenance: 'maintenance',
  unknown: 'unknown',
};

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** 12 random base32 letters (60 bits): unguessable, short enough for a printed QR code, unrelated to the id. */
export function newPublicToken(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();
/**
 * A group's page is computed at most this often: anyone may ask for it without logging in, and a group of
 * a whole kind over a large hub means a month of uptime for every device. Ten seconds late is nothing to a
 * citizen; a change of the group itself clears it at once.
 */
export const PAGE_TTL_MS = 10_000;
const collator = new Intl.Collator('vi');

export interface PublicStatusDeps {
  repository: PublicStatusRepository;
  listDevices: () => DeviceRecord[];
  getDevice: (id: string) => DeviceRecord | undefined;
  /** The device's status now, from liveness. */
  statusOf: (id: string) => DeviceStatus | undefined;
  /** Uptime ratio per device id over [from, to), from the uptime service. */
  uptimeOf: (records: DeviceRecord[], from: number, to: number) => Map<string, number | null>;
  events: EventBus;
  clock: Clock;
  logger: Logger;
}

/**
 * The public status page: admin-defined groups of devices, opted in one by one, shown to anyone as
 * display name, status and uptime this month per device, under an opaque token per device. Citizens'
 * reports are stored and announced as `publicStatus.reported` for the dashboard's feed.
 */
export class PublicStatusService {
  private readonly tokenByDevice = new Map<string, string>();
  private readonly deviceByToken = new Map<string, string>();
  private readonly pages = new Map<string, { at: number; page: PublicStatusPage }>();

  /**
   * The token maps are a cache of `public_status_tokens`, filled as tokens are given or asked for: with
   * HUB_DB=postgres another node may have given a device its token, so a miss asks the repository.
   */
  constructor(private readonly deps: PublicStatusDeps) {}

  async listGroups(): Promise<PublicGroup[]> {
    const groups = await this.deps.repository.groups();
    const views: PublicGroup[] = [];
    for (const g of groups) views.push(await this.adminView(g));
    return views;
  }

  async createGroup(input: PublicGroupInput): Promise<PublicGroup> {
    const now = this.deps.clock.now();
    const row = this.toRow(input, now, now);
    if (!(await this.deps.repository.insertGroup(row))) {
      throw new HubError('HUB_ERR_EXISTS', `a public status group "${input.slug}" already exists`);
    }
    this.pages.delete(row.slug);
    this.deps.logger.info({ slug: row.slug, published: row.published }, 'public status group created');
    return this.adminView(row);
  }

  async updateGroup(slug: string, input: PublicGroupInput): Promise<PublicGroup> {
    const existing = await this.require(slug, false);
    if (input.slug !== slug) {
      throw new HubError('HUB_ERR_VALIDATION', `slug cannot change (path "${slug}", body "${input.slug}")`);
    }
    const row = this.toRow(input, existing.createdAt, this.deps.clock.now());
    await this.deps.repository.saveGroup(row);
    this.pages.delete(slug);
    this.deps.logger.info({ slug, published: row.published }, 'public status group updated');
    return this.adminView(row);
  }

  async deleteGroup(slug: string): Promise<void> {
    if (!(await this.deps.repository.removeGroup(slug))) {
      throw new HubError('HUB_ERR_NOT_FOUND', `no public status group "${slug}"`);
    }
    this.pages.delete(slug);
    this.deps.logger.info({ slug }, 'public status group removed');
  }

  /**
   * A published group's page; an unpublished one is answered exactly like a missing one. Cached per node
   * for PAGE_TTL_MS: a change made on this node clears it at once, one made on another node of a cluster
   * shows here within PAGE_TTL_MS.
   */
  async page(slug: string): Promise<PublicStatusPage> {
    const now = this.deps.clock.now();
    const cached = this.pages.get(slug);
    if (cached && now - cached.at < PAGE_TTL_MS && now >= cached.at) return cached.page;
    const page = await this.computePage(slug);
    this.pages.set(slug, { at: now, page });
    return page;
  }

  private async computePage(slug: string): Promise<PublicStatusPage> {
    const group = await this.require(slug, true);
    const members = this.members(group);
    const period = this.monthSoFar();
    const uptime = this.deps.uptimeOf(members, period.fromMs, period.toMs);
    const devices: PublicDeviceStatus[] = [];
    for (const d of members) devices.push(await this.publicDevice(d, uptime.get(d.id) ?? null));
    return { group: header(group), period: period.view, devices };
  }

  async devicePage(slug: string, token: string) {
    const group = await this.require(slug, true);
    const device = await this.memberByToken(group, token);
    const period = this.monthSoFar();
    const uptime = this.deps.uptimeOf([device], period.fromMs, period.toMs);
    return {
      group: header(group),
      period: period.view,
      device: await this.publicDevice(device, uptime.get(device.id) ?? null),
    };
  }

  /** Stores a citizen's report (already validated and rate-limited by the route) and announces it. */
  async report(slug: string, input: { deviceToken?: string; text: string }): Promise<PublicReport> {
    const group = await this.require(slug, true);
    const device = input.deviceToken ? await this.memberByToken(group, input.deviceToken) : null;
    const at = this.deps.clock.now();
    const row: Omit<ReportRow, 'id'> = {
      groupSlug: group.slug,
      groupName: group.name,
      deviceId: device?.id ?? null,
      deviceName: device?.name ?? null,
      text: input.text.trim(),
      at,
    };
    const id = await this.deps.repository.addReport(row);
    const report = toReport({ ...row, id });
    this.deps.logger.info({ reportId: id, group: slug, deviceId: row.deviceId }, 'public problem report');
    this.deps.events.emit('publicStatus.reported', { report, at });
    return report;
  }

  /** Reports received in [from, to), newest first: what the dashboard's feed shows. */
  async reports(from: number, to: number, limit = 200): Promise<PublicReport[]> {
    return (await this.deps.repository.reports(from, to, limit)).map(toReport);
  }

  private async require(slug: string, mustBePublished: boolean): Promise<GroupRow> {
    const group = await this.deps.repository.group(slug);
    if (!group || (mustBePublished && !group.published)) {
      throw new HubError('HUB_ERR_NOT_FOUND', `no public status group "${slug}"`);
    }
    return group;
  }

  private toRow(input: PublicGroupInput, createdAt: number, updatedAt: number): GroupRow {
    const hasIds = input.deviceIds !== undefined;
    const hasSelector = input.selector !== undefined;
    if (hasIds === hasSelector) {
      throw new HubError('HUB_ERR_VALIDATION', 'give either deviceIds or selector (kind and/or villageId)');
    }
    if (hasSelector && input.selector!.kind === undefined && input.selector!.villageId === undefined) {
      throw new HubError('HUB_ERR_VALIDATION', 'a selector names a kind and/or a villageId');
    }
    if (hasIds) {
      const unknown = input.deviceIds!.filter((id) => !this.deps.getDevice(id));
      if (unknown.length > 0)
        throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${unknown.join(', ')}`);
    }
    return {
      slug: input.slug,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
      deviceIds: hasIds ? [...new Set(input.deviceIds)] : null,
      selector: hasSelector ? input.selector! : null,
      published: input.published,
      createdAt,
      updatedAt,
    };
  }

  /** The devices a group holds now: listed ones in their order, or a selector's by name. Disabled ones never. */
  private members(group: GroupRow): DeviceRecord[] {
    if (group.deviceIds) {
      return group.deviceIds
        .map((id) => this.deps.getDevice(id))
        .filter((d): d is DeviceRecord => d !== undefined && !d.disabled);
    }
    const { kind, villageId } = group.selector ?? {};
    return this.deps
      .listDevices()
      .filter(
        (d) =>
          !d.disabled &&
          (kind === undefined || d.kind === kind) &&
          (villageId === undefined || d.villageId === villageId),
      )
      .sort((a, b) => collator.compare(a.name, b.name));
  }

  private async memberByToken(group: GroupRow, token: string): Promise<DeviceRecord> {
    let deviceId = this.deviceByToken.get(token);
    if (deviceId === undefined) {
      deviceId = await this.deps.repository.deviceOfToken(token);
      if (deviceId !== undefined) this.remember(deviceId, token);
    }
    const device = deviceId ? this.members(group).find((d) => d.id === deviceId) : undefined;
    if (!device) throw new HubError('HUB_ERR_NOT_FOUND', 'no such device on this public page');
    return device;
  }

  private async tokenFor(deviceId: string): Promise<string> {
    const known = this.tokenByDevice.get(deviceId);
    if (known) return known;
    let candidate = newPublicToken();
    while (this.deviceByToken.has(candidate)) candidate = newPublicToken();
    // The stored token wins: this node's candidate, or the one another node gave the device first.
    const token = await this.deps.repository.ensureToken(deviceId, candidate, this.deps.clock.now());
    this.remember(deviceId, token);
    return token;
  }

  private remember(deviceId: string, token: string): void {
    this.tokenByDevice.set(deviceId, token);
    this.deviceByToken.set(token, deviceId);
  }

  /** Exactly the public fields, built field by field so nothing of the record can slip through. */
  private async publicDevice(d: DeviceRecord, ratio: number | null): Promise<PublicDeviceStatus> {
    return {
      token: await this.tokenFor(d.id),
      name: d.name,
      status: PUBLIC_STATUS[this.deps.statusOf(d.id) ?? 'unknown'],
      uptimeMonth: ratio,
    };
  }

  private async adminView(g: GroupRow): Promise<PublicGroup> {
    const members: PublicGroup['members'] = [];
    for (const d of this.members(g))
      members.push({ deviceId: d.id, name: d.name, token: await this.tokenFor(d.id) });
    return {
      slug: g.slug,
      name: g.name,
      description: g.description,
      deviceIds: g.deviceIds,
      selector: g.selector,
      published: g.published,
      createdAt: iso(g.createdAt),
      updatedAt: iso(g.updatedAt),
      members,
    };
  }

  /** This calendar month in Asia/Ho_Chi_Minh, from its first midnight to now. */
  private monthSoFar() {
    const now = this.deps.clock.now();
    const { year, month } = localParts(now);
    const fromMs = localMonthStart(year, month);
    return { fromMs, toMs: now, view: { from: iso(fromMs), to: iso(now), month: month + 1, year } };
  }
}

const header = (g: GroupRow) => ({ slug: g.slug, name: g.name, description: g.description });

const toReport = (r: ReportRow): PublicReport => ({
  id: r.id,
  groupSlug: r.groupSlug,
  groupName: r.groupName,
  deviceId: r.deviceId,
  deviceName: r.deviceName,
  text: r.text,
  at: iso(r.at),
});
