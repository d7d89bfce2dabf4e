import type { DeviceCreate, DeviceUpdate, MaintenanceCreate, PublicGroupInput } from '@commune-hub/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hubApi } from '../../../lib/http.ts';
import { brokerUrlForDevices } from '../agentCommand.ts';
import { adminClient } from './adminAccess.ts';

/**
 * Device management through protocol's typed client. Reads that anyone may make go through the page's
 * client; every write and the admin-only reads through `adminClient()` (./adminAccess.ts). A refused call
 * throws HubApiError with its HUB_ERR_* code, which ../errors.ts says in Vietnamese.
 */
const DEVICES = ['devices'] as const;
const MAINTENANCE = ['manage', 'maintenance'] as const;
const GROUPS = ['manage', 'public-groups'] as const;
const DAY = 86_400_000;

export function useVillages() {
  return useQuery({
    queryKey: ['villages'],
    queryFn: ({ signal }) => hubApi.villageList(undefined, { signal }),
  });
}

/** Sites (where devices stand within a village), for the site picker of the edit form. */
export function useSites() {
  return useQuery({
    queryKey: ['sites'],
    queryFn: ({ signal }) => hubApi.siteList(undefined, { signal }),
    staleTime: 60_000,
  });
}

/** The broker address devices connect to, for the agent command (from what the hub says on /healthz). */
export function useBrokerUrlForDevices() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => hubApi.health(undefined, { signal }),
    select: (h) => brokerUrlForDevices(h, window.location.hostname),
    staleTime: 60_000,
  });
}

function useInvalidate(...keys: ReadonlyArray<readonly string[]>) {
  const queryClient = useQueryClient();
  return () => {
    for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
  };
}

export function useCreateDevice() {
  const invalidate = useInvalidate(DEVICES);
  return useMutation({
    mutationFn: (body: DeviceCreate) => adminClient().deviceCreate({ body }),
    onSuccess: invalidate,
  });
}

export function useUpdateDevice() {
  const invalidate = useInvalidate(DEVICES);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DeviceUpdate }) =>
      adminClient().deviceUpdate({ params: { id }, body }),
    onSuccess: invalidate,
  });
}

export function useRotateSecret() {
  return useMutation({
    mutationFn: (id: string) => adminClient().deviceRotateSecret({ params: { id } }),
  });
}

/** Dry run or import of a CSV. A 422 (rows refused) comes back as the report itself, not as an error. */
export function useImport() {
  const invalidate = useInvalidate(DEVICES);
  return useMutation({
    mutationFn: async ({ csv, dryRun }: { csv: string; dryRun: boolean }) => {
      try {
        return await adminClient().deviceImport({ body: csv, query: { dryRun } });
      } catch (err) {
        const e = err as { status?: number; body?: unknown };
        if (e.status === 422 && e.body && typeof e.body === 'object' && 'errors' in e.body) {
          return e.body as Awaited<ReturnType<ReturnType<typeof adminClient>['deviceImport']>>;
        }
        throw err;
      }
    },
    onSuccess: (report) => {
      if (!report.dryRun && report.created.length > 0) invalidate();
    },
  });
}

/** Windows from a day ago to 90 days ahead: what an official plans or just finished. */
export function useMaintenanceList() {
  return useQuery({
    queryKey: MAINTENANCE,
    queryFn: ({ signal }) => {
      const now = Date.now();
      return hubApi.maintenanceList(
        {
          query: {
            from: new Date(now - DAY).toISOString(),
            to: new Date(now + 90 * DAY).toISOString(),
            limit: 5000,
          },
        },
        { signal },
      );
    },
  });
}

export function useScheduleMaintenance() {
  const invalidate = useInvalidate(MAINTENANCE, DEVICES);
  return useMutation({
    mutationFn: (body: MaintenanceCreate) => adminClient().maintenanceCreate({ body }),
    onSuccess: invalidate,
  });
}

export function useCancelMaintenance() {
  const invalidate = useInvalidate(MAINTENANCE, DEVICES);
  return useMutation({
    mutationFn: (id: number) => adminClient().maintenanceDelete({ params: { id } }),
    onSuccess: invalidate,
  });
}

export function usePublicGroups(enabled: boolean) {
  return useQuery({
    queryKey: GROUPS,
    queryFn: ({ signal }) => adminClient().publicGroupList(undefined, { signal }),
    enabled,
  });
}

export function useSaveGroup() {
  const invalidate = useInvalidate(GROUPS);
  return useMutation({
    mutationFn: ({ body, isNew }: { body: PublicGroupInput; isNew: boolean }) =>
      isNew
        ? adminClient().publicGroupCreate({ body })
        : adminClient().publicGroupUpdate({ params: { group: body.slug }, body }),
    onSuccess: invalidate,
  });
}

export function useDeleteGroup() {
  const invalidate = useInvalidate(GROUPS);
  return useMutation({
    mutationFn: (slug: string) => adminClient().publicGroupDelete({ params: { group: slug } }),
    onSuccess: invalidate,
  });
}
