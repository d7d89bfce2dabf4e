import type { FeedItem, FeedPage } from '@commune-hub/protocol';

/** A span of hub time, epoch ms, [from, to). */
export interface FeedRange {
  from: number;
  to: number;
}

/**
 * One kind of change the feed shows. Each source answers at most `limit` items of the range that pass
 * `visible` (the caller's scope), newest first or in any order: the service merges and cuts. A source
 * filters before its own cut, or a scoped user would get a short page on a busy hub. Sources are added by
 * the part that owns the data (transitions, alerts and maintenance here; citizen reports by the public
 * status page).
 */
export type FeedSource = (
  range: FeedRange,
  limit: number,
  visible: (item: FeedItem) => boolean,
) => Promise<FeedItem[]> | FeedItem[];

/** "Thay đổi trong 24 giờ qua": merges every source's items, newest first. */
export class FeedService {
  private readonly sources: FeedSource[] = [];

  constructor(sources: readonly FeedSource[] = []) {
    this.sources.push(...sources);
  }

  register(source: FeedSource): void {
    this.sources.push(source);
  }

  /** `visible`: the caller's scope (issue 14); items outside it are dropped before the cut. */
  async page(
    range: FeedRange,
    limit: number,
    visible: (item: FeedItem) => boolean = () => true,
  ): Promise<FeedPage> {
    // One item more than asked tells whether anything was cut.
    const lists = await Promise.all(this.sources.map((s) => s(range, limit + 1, visible)));
    const items = lists
      .flat()
      // Sources filter before their cut; this is the guard for one that does not.
      .filter(visible)
      .filter((i) => {
        const at = Date.parse(i.at);
        return at >= range.from && at < range.to;
      })
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return {
      since: new Date(range.from).toISOString(),
      items: items.slice(0, limit),
      truncated: items.length > limit,
    };
  }
}
