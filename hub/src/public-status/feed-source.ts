import type { FeedItem } from '@commune-hub/protocol';
import type { FeedSource } from '../home/feed.ts';
import type { PublicStatusService } from './service.ts';

/** Citizens' reports as items of the home page's feed (kind `report`), from the stored reports. */
export function reportFeedSource(service: PublicStatusService): FeedSource {
  return async (range, limit) =>
    (await service.reports(range.from, range.to, limit)).map(
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
    );
}
