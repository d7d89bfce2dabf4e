import type {
  Alert,
  AlertChannel,
  AlertChannelInput,
  AlertMuteInput,
  AlertRuleInput,
  AlertRuleView,
  AlertScheduleInput,
  AlertScheduleView,
  AlertState,
  AlertsChanged,
} from '@commune-hub/protocol';
import type { HubClient } from '@commune-hub/protocol/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { hubApi } from '../../../lib/http.ts';
import { useSocketManager } from '../../realtime/index.ts';

/**
 * Alerts, rules, channels and schedules through protocol's typed client, kept live by `alerts:changed`.
 * Writes go through the signed-in session (cookie + CSRF token, lib/http); the hub checks the role. A refused call throws `HubApiError` with the hub's HUB_ERR_* code and message.
 */
/** Writes use the session's client, like device management (features/manage/api/adminAccess.ts). */
const adminApi = (): HubClient => hubApi;

export interface AlertFilter {
  state?: AlertState;
  villageId?: string;
  from?: string;
  to?: string;
}

export const ALERTS_KEY = ['alerts'] as const;
const LIST_KEY = [...ALERTS_KEY, 'list'] as const;
const FIRING_KEY = [...ALERTS_KEY, 'firing'] as const;

export function useAlertList(filter: AlertFilter) {
  return useQuery({
    queryKey: [...LIST_KEY, filter],
    queryFn: async ({ signal }) =>
      (await hubApi.alertList({ query: { ...filter, limit: 500 } }, { signal })).alerts,
  });
}

/** Firing alerts for the banner: fetched once, then kept current by `alerts:changed` over the socket. */
export function useFiringAlerts() {
  const queryClient = useQueryClient();
  const socket = useSocketManager();
  useEffect(
    () =>
      socket.on('alerts:changed', ({ alert, discarded }: AlertsChanged) => {
        queryClient.setQueryData<Alert[]>(FIRING_KEY, (current) => {
          const others = (current ?? []).filter((a) => a.id !== alert.id);
          return alert.state === 'firing' && !discarded ? [alert, ...others] : others;
        });
        // A discarded pending alert never fired and is gone from the hub: drop it from every list now.
        if (discarded) {
          queryClient.setQueriesData<Alert[]>({ queryKey: LIST_KEY }, (current) =>
            current?.filter((a) => a.id !== alert.id),
          );
        }
        // Lists and history pages refetch in the background.
        void queryClient.invalidateQueries({ queryKey: LIST_KEY });
      }),
    [socket, queryClient],
  );
  return useQuery({
    queryKey: FIRING_KEY,
    queryFn: async ({ signal }) =>
      (await hubApi.alertList({ query: { state: 'firing', limit: 200 } }, { signal })).alerts,
    staleTime: 60_000,
  });
}

export function useAcknowledge() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; by: string; note?: string }) =>
      adminApi().alertAck({ params: { id: v.id }, body: { by: v.by, note: v.note || undefined } }),
    onSuccess: (alert) => {
      queryClient.setQueryData<Alert[]>(FIRING_KEY, (c) => (c ?? []).filter((a) => a.id !== alert.id));
      void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
    },
  });
}

/** "Tạm tắt báo": a mute for a device or a village. */
export function useMute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AlertMuteInput) => adminApi().alertMuteCreate({ body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ALERTS_KEY }),
  });
}

interface CrudCalls<T, I> {
  list: (signal: AbortSignal) => Promise<T[]>;
  create: (api: HubClient, input: I) => Promise<T>;
  update: (api: HubClient, id: string, input: I) => Promise<T>;
  remove: (api: HubClient, id: string) => Promise<unknown>;
}

function crud<T, I>(key: string, calls: CrudCalls<T, I>) {
  return {
    /** `enabled: false` for a list the signed-in role may not read (channels are admin-only). */
    useList: (enabled = true) =>
      useQuery({ queryKey: [key], queryFn: ({ signal }) => calls.list(signal), enabled }),
    useSave: () => {
      const queryClient = useQueryClient();
      return useMutation({
        mutationFn: (v: { id?: string; input: I }) =>
          v.id ? calls.update(adminApi(), v.id, v.input) : calls.create(adminApi(), v.input),
        onSuccess: () => queryClient.invalidateQueries({ queryKey: [key] }),
      });
    },
    useRemove: () => {
      const queryClient = useQueryClient();
      return useMutation({
        mutationFn: (id: string) => calls.remove(adminApi(), id),
        onSuccess: () => queryClient.invalidateQueries({ queryKey: [key] }),
      });
    },
  };
}

export const channelsApi = crud<AlertChannel, AlertChannelInput>('alert-channels', {
  list: async (signal) => (await hubApi.alertChannelList({}, { signal })).channels,
  create: (api, body) => api.alertChannelCreate({ body }),
  update: (api, id, body) => api.alertChannelUpdate({ params: { id }, body }),
  remove: (api, id) => api.alertChannelDelete({ params: { id } }),
});
export const rulesApi = crud<AlertRuleView, AlertRuleInput>('alert-rules', {
  list: (signal) => hubApi.alertRuleList({}, { signal }),
  create: (api, body) => api.alertRuleCreate({ body }),
  update: (api, id, body) => api.alertRuleUpdate({ params: { id }, body }),
  remove: (api, id) => api.alertRuleDelete({ params: { id } }),
});
export const schedulesApi = crud<AlertScheduleView, AlertScheduleInput>('alert-schedules', {
  list: (signal) => hubApi.alertScheduleList({}, { signal }),
  create: (api, body) => api.alertScheduleCreate({ body }),
  update: (api, id, body) => api.alertScheduleUpdate({ params: { id }, body }),
  remove: (api, id) => api.alertScheduleDelete({ params: { id } }),
});

export function useSendTest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => adminApi().alertChannelTest({ params: { id } }),
    // The outcome shows up in the channel's health a moment later.
    onSuccess: () => {
      for (const ms of [1500, 5000]) {
        setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['alert-channels'] }), ms);
      }
    },
  });
}

export interface PlaceOption {
  id: string;
  name: string;
}

/** Villages for the filters and scopes (from the places API). */
export function useVillages() {
  return useQuery({
    queryKey: ['places', 'villages'],
    queryFn: async ({ signal }): Promise<PlaceOption[]> =>
      (await hubApi.villageList({}, { signal })).map((v) => ({ id: v.id, name: v.name })),
    staleTime: 300_000,
  });
}
