import type { DeviceKind, UptimeBucket } from '@commune-hub/protocol';
import { useQuery } from '@tanstack/react-query';
import { hubApi } from '../../../lib/http.ts';

export interface UptimeReportArgs {
  from: number;
  to: number;
  bucket: UptimeBucket;
  kind: DeviceKind | null;
  village: string | null;
}

/** `GET /api/uptime/report` for a period: totals per kind and village, per device with its bar. */
export function useUptimeReport(args: UptimeReportArgs) {
  return useQuery({
    queryKey: ['uptime', 'report', args],
    queryFn: ({ signal }) =>
      hubApi.uptimeReport(
        {
          query: {
            from: String(args.from),
            to: String(args.to),
            bucket: args.bucket,
            ...(args.kind ? { kind: args.kind } : {}),
            ...(args.village ? { village: args.village } : {}),
          },
        },
        { signal },
      ),
    placeholderData: (prev) => prev,
  });
}
