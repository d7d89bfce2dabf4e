import type pg from 'pg';
import { HubError } from '../../errors.ts';

/** Ids one reservation covers (the sequence `hub_id_block` steps by this). */
export const ID_BLOCK = 1 << 20;

/**
 * Row ids for rows the hub creates while its API stays synchronous (coverage segments, maintenance
 * windows, hub runs). Each node reserves a block of ids with one `nextval` of a sequence that steps by
 * ID_BLOCK, and hands them out from memory; the next block is reserved in the background once half of
 * the current one is used. Ids are unique across nodes sharing the database, increasing per node.
 */
export class IdBlocks {
  private next = 0;
  private end = 0;
  private spare: number | undefined;
  private reserving: Promise<void> | undefined;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(pool: pg.Pool): Promise<IdBlocks> {
    const ids = new IdBlocks(pool);
    const first = await ids.reserve();
    ids.next = first;
    ids.end = first + ID_BLOCK;
    return ids;
  }

  private async reserve(): Promise<number> {
    const { rows } = await this.pool.query<{ base: number }>("SELECT nextval('hub_id_block') AS base");
    return rows[0]!.base;
  }

  take(): number {
    if (this.next >= this.end) {
      if (this.spare === undefined) {
        throw new HubError('HUB_ERR_STORE_UNREACHABLE', 'no row ids left: PostgreSQL did not answer in time');
      }
      this.next = this.spare;
      this.end = this.spare + ID_BLOCK;
      this.spare = undefined;
    }
    if (this.spare === undefined && !this.reserving && this.end - this.next < ID_BLOCK / 2) {
      this.reserving = this.reserve()
        .then((base) => {
          this.spare = base;
        })
        .catch(() => {})
        .finally(() => {
          this.reserving = undefined;
        });
    }
    return this.next++;
  }
}
