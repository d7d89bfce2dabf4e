import type {
  Commune,
  CommuneCreate,
  LocationType,
  Site,
  SiteCreate,
  Village,
  VillageCreate,
  VillageUpdate,
} from '@commune-hub/protocol';
import type { CommuneRow, SiteRow, VillageRow } from '../db/postgres/registry-image.ts';
import { type RegistryStorage, statement } from '../db/registry-storage.ts';
import { HubError } from '../errors.ts';

/** A slug id from a Vietnamese name: "Thôn Đông 2" → "thon-dong-2". */
export function slugify(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56);
  return ascii || 'place';
}

export interface PlacesState {
  communes: Map<string, Commune>;
  villages: Map<string, Village>;
  sites: Map<string, Site>;
}

/**
 * Communes, villages and sites, in the registry database and mirrored in memory. Ids are stable: a
 * village moved to another commune (mergers since 2025) keeps its id, and so do its devices.
 */
export class Places {
  private communes = new Map<string, Commune>();
  private villages = new Map<string, Village>();
  private sites = new Map<string, Site>();
  private readonly stmts;

  constructor(storage: RegistryStorage) {
    this.stmts = {
      insertCommune: statement(
        storage,
        'INSERT INTO communes (id, name, province, merged_into) VALUES (?, ?, ?, ?)',
        'INSERT INTO communes (id, name, province, merged_into) VALUES ($1, $2, $3, $4)',
      ),
      insertVillage: statement(
        storage,
        'INSERT INTO villages (id, name, commune_id) VALUES (?, ?, ?)',
        // Nodes sharing the database may create the same village (found by name, same id) at once: one row.
        'INSERT INTO villages (id, name, commune_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      ),
      updateVillage: statement(
        storage,
        'UPDATE villages SET name = ?, commune_id = ? WHERE id = ?',
        "UPDATE villages SET name = $1, commune_id = $2, change_seq = nextval('hub_change_seq') WHERE id = $3",
      ),
      insertSite: statement(
        storage,
        'INSERT INTO sites (id, name, village_id, location_type) VALUES (?, ?, ?, ?)',
        'INSERT INTO sites (id, name, village_id, location_type) VALUES ($1, $2, $3, $4)',
      ),
    };
    if (storage.dialect === 'sqlite') {
      const { db } = storage;
      this.load(
        db.prepare('SELECT id, name, province, merged_into FROM communes').all() as CommuneRow[],
        db.prepare('SELECT id, name, commune_id FROM villages').all() as VillageRow[],
        db.prepare('SELECT id, name, village_id, location_type FROM sites').all() as SiteRow[],
      );
    } else {
      this.load(storage.image.communes, storage.image.villages, storage.image.sites);
    }
  }

  /** Takes rows read from the database: at boot, and (PostgreSQL) rows other nodes changed since. */
  load(communes: readonly CommuneRow[], villages: readonly VillageRow[], sites: readonly SiteRow[]): void {
    for (const r of communes) {
      this.communes.set(r.id, { id: r.id, name: r.name, province: r.province, mergedInto: r.merged_into });
    }
    for (const r of villages) this.villages.set(r.id, { id: r.id, name: r.name, communeId: r.commune_id });
    for (const r of sites) {
      this.sites.set(r.id, {
        id: r.id,
        name: r.name,
        villageId: r.village_id,
        locationType: r.location_type as LocationType,
      });
    }
  }

  /** For a transaction: the maps as they are (kept aside), while the transaction works on copies. */
  snapshot(): PlacesState {
    const saved = { communes: this.communes, villages: this.villages, sites: this.sites };
    this.communes = new Map(saved.communes);
    this.villages = new Map(saved.villages);
    this.sites = new Map(saved.sites);
    return saved;
  }

  /** The transaction rolled back: back to the maps as they were, untouched. */
  restore(saved: PlacesState): void {
    this.communes = saved.communes;
    this.villages = saved.villages;
    this.sites = saved.sites;
  }

  listCommunes(): Commune[] {
    return [...this.communes.values()];
  }
  listVillages(): Village[] {
    return [...this.villages.values()];
  }
  listSites(): Site[] {
    return [...this.sites.values()];
  }
  commune(id: string): Commune | undefined {
    return this.communes.get(id);
  }
  village(id: string): Village | undefined {
    return this.villages.get(id);
  }
  site(id: string): Site | undefined {
    return this.sites.get(id);
  }

  private uniqueId(base: string, taken: Map<string, unknown>): string {
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  private mustCommune(id: string | null | undefined): void {
    if (id != null && !this.communes.has(id)) throw new HubError('HUB_ERR_NOT_FOUND', `no commune ${id}`);
  }

  addCommune(input: CommuneCreate): Commune {
    if (this.communes.has(input.id)) throw new HubError('HUB_ERR_EXISTS', `commune ${input.id} exists`);
    this.mustCommune(input.mergedInto);
    const commune = {
      id: input.id,
      name: input.name,
      province: input.province ?? '',
      mergedInto: input.mergedInto ?? null,
    };
    this.stmts.insertCommune(commune.id, commune.name, commune.province, commune.mergedInto);
    this.communes.set(commune.id, commune);
    return commune;
  }

  addVillage(input: VillageCreate): Village {
    if (input.id && this.villages.has(input.id))
      throw new HubError('HUB_ERR_EXISTS', `village ${input.id} exists`);
    this.mustCommune(input.communeId);
    const village = {
      id: input.id ?? this.uniqueId(slugify(input.name), this.villages),
      name: input.name,
      communeId: input.communeId ?? null,
    };
    this.stmts.insertVillage(village.id, village.name, village.communeId);
    this.villages.set(village.id, village);
    return village;
  }

  updateVillage(id: string, patch: VillageUpdate): Village {
    const village = this.villages.get(id);
    if (!village) throw new HubError('HUB_ERR_NOT_FOUND', `no village ${id}`);
    this.mustCommune(patch.communeId);
    const next = {
      ...village,
      ...patch,
      communeId: patch.communeId === undefined ? village.communeId : patch.communeId,
    };
    this.stmts.updateVillage(next.name, next.communeId, id);
    this.villages.set(id, next);
    return next;
  }

  /** A village by id, else by exact name, else a new one with that name (devices arrive with names from spreadsheets). */
  resolveVillage(idOrName: string, create: boolean): Village | undefined {
    const byId = this.villages.get(idOrName);
    if (byId) return byId;
    for (const v of this.villages.values()) if (v.name === idOrName) return v;
    return create ? this.addVillage({ name: idOrName }) : undefined;
  }

  addSite(input: SiteCreate): Site {
    if (input.id && this.sites.has(input.id)) throw new HubError('HUB_ERR_EXISTS', `site ${input.id} exists`);
    if (!this.villages.has(input.villageId))
      throw new HubError('HUB_ERR_NOT_FOUND', `no village ${input.villageId}`);
    const site = {
      id: input.id ?? this.uniqueId(slugify(`${input.villageId}-${input.name}`), this.sites),
      name: input.name,
      villageId: input.villageId,
      locationType: input.locationType,
    };
    this.stmts.insertSite(site.id, site.name, site.villageId, site.locationType);
    this.sites.set(site.id, site);
    return site;
  }
}
