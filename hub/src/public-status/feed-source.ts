import type { FeedItem } from '@commune-hub/protocol';
import type { FeedSource } from '../home/feed.ts';
import type { PublicStatusService } from './service.ts';

/** Upper bound of the reports read for one feed page. */
const REPORTS_READ = 10_000;

/** Citizens' reports as items of the home page's feed (kind `report`), from the stored reports. */
export function reportFeedSource(service: PublicStatusService): FeedSource {
  // Reports are rate-limited per address, so a day's are few: read them all, filter by the caller's
  // scope, then cut, so another commune's reports do not crowd out the caller's own.
  return async (range, limit, visible) =>
    (await service.reports(range.from, range.to, REPORTS_READ))
      .map(
        (r): FeedItem => ({
          kind: 'report',
          at: r.at,
          reportId: r.id,
          groupSlug: r.groupSlug,
          groupName: r.groupName,
          deviceId: r.deviceId,
          deviceName: r.deviceName,
          text: r.text,
        }),
      )
      .filter(visible)
      .slice(0, limit);
}
