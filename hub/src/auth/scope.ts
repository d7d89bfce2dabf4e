import type { Places } from '../registry/places.ts';

/**
 * Which communes a caller may see, on the request (`request.scope`) and on each socket. Services and
 * routes filter with it; an id outside it answers 404, as if it did not exist. A village belongs to its
 * commune and, through `mergedInto`, to the commune that commune was merged into: a user of the merged
 * commune sees its former communes' villages. Villages without a commune are seen by province users only.
 */
export class Scope {
  private constructor(
    private readonly communes: ReadonlySet<string> | null,
    private readonly places: Places | null,
  ) {}

  /** Every commune: a province user, or the hub itself. */
  static all(): Scope {
    return new Scope(null, null);
  }

  static of(communeIds: Iterable<string>, places: Places): Scope {
    return new Scope(new Set(communeIds), places);
  }

  get isAll(): boolean {
    return this.communes === null;
  }

  /** The commune ids named (null: all). */
  get communeIds(): ReadonlySet<string> | null {
    return this.communes;
  }

  allowsCommune(communeId: string | null | undefined): boolean {
    if (this.communes === null) return true;
    if (!communeId) return false;
    let id: string | null = communeId;
    for (let hops = 0; id && hops < 8; hops++) {
      if (this.communes.has(id)) return true;
      id = this.places?.commune(id)?.mergedInto ?? null;
    }
    return false;
  }

  allowsVillage(villageId: string | null | undefined): boolean {
    if (this.communes === null) return true;
    if (!villageId) return false;
    return this.allowsCommune(this.places?.village(villageId)?.communeId);
  }

  allowsDevice(device: { villageId: string } | undefined): boolean {
    return device !== undefined && this.allowsVillage(device.villageId);
  }
}
