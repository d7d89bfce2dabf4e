import type {
  Alert,
  AlertChannel,
  AlertChannelInput,
  AlertRule,
  AlertRuleInput,
  AlertSchedule,
  AlertScheduleInput,
  AlertState,
  AlertsChanged,
} from '@commune-hub/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { fetchJson, HttpError, withQuery } from '../../../lib/http.ts';
import { useSocketManager } from '../../realtime/RealtimeProvider.tsx';

/**
 * REST and live updates of alerts, rules, channels and schedules. Writes carry the admin token the
 * official typed once (kept in this browser only); the hub refuses writes without it.
 */
const TOKEN_KEY = 'hub.adminToken';
export const getAdminToken = () => window.localStorage.getItem(TOKEN_KEY) ?? '';
export const setAdminToken = (t: string) => window.localStorage.setItem(TOKEN_KEY, t.trim());

/** A write with the admin token; a refused one throws HttpError with the hub's code and message. */
export async function sendAdmin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${getAdminToken()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = json as { code?: string; message?: string } | undefined;
    throw new HttpError(err?.message ?? `HTTP ${res.status}`, res.status, err?.code ?? 'HTTP_ERROR');
  }
  return json as T;
}

/** Lists may come as `{rules: [...]}` or as a bare array: accept both. */
const listOf = <T>(body: unknown, key: string): T[] =>
  Array.isArray(body) ? (body as T[]) : (((body as Record<string, unknown>)?.[key] as T[]) ?? []);

export interface AlertFilter {
  state?: AlertState;
  villageId?: string;
  from?: string;
  to?: string;
}

export const ALERTS_KEY = ['alerts'] as const;
const FIRING_KEY = ['alerts', 'firing'] as const;

export function useAlertList(filter: AlertFilter) {
  return useQuery({
    queryKey: [...ALERTS_KEY, 'list', filter],
    queryFn: async ({ signal }) =>
      listOf<Alert>(await fetchJson(withQuery('/api/alerts', { ...filter, limit: 500 }), signal), 'alerts'),
  });
}

/** Firing alerts for the banner: fetched once, then kept current by `alerts:changed` over the socket. */
export function useFiringAlerts() {
  const queryClient = useQueryClient();
  const socket = useSocketManager();
  useEffect(
    () =>
      socket.on('alerts:changed', ({ alert }: AlertsChanged) => {
        queryClient.setQueryData<Alert[]>(FIRING_KEY, (current) => {
          const others = (current ?? []).filter((a) => a.id !== alert.id);
          return alert.state === 'firing' ? [alert, ...others] : others;
        });
        // Lists and history pages refetch in the background.
        void queryClient.invalidateQueries({ queryKey: [...ALERTS_KEY, 'list'] });
      }),
    [socket, queryClient],
  );
  return useQuery({
    queryKey: FIRING_KEY,
    queryFn: async ({ signal }) =>
      listOf<Alert>(
        await fetchJson(withQuery('/api/alerts', { state: 'firing', limit: 200 }), signal),
        'alerts',
      ),
    staleTime: 60_000,
  });
}

export function useAcknowledge() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; by: string; note?: string }) =>
      sendAdmin<Alert>('POST', `/api/alerts/${encodeURIComponent(v.id)}/ack`, {
        by: v.by,
        note: v.note || undefined,
      }),
    onSuccess: (alert) => {
      if (alert?.id) {
        queryClient.setQueryData<Alert[]>(FIRING_KEY, (c) => (c ?? []).filter((a) => a.id !== alert.id));
      }
      void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
    },
  });
}

function crud<T, I>(key: string, path: string, listKey: string) {
  return {
    useList: () =>
      useQuery({
        queryKey: [key],
        queryFn: async ({ signal }) => listOf<T>(await fetchJson(path, signal), listKey),
      }),
    useSave: () => {
      const queryClient = useQueryClient();
      return useMutation({
        mutationFn: (v: { id?: string; input: I }) =>
          v.id
            ? sendAdmin<T>('PUT', `${path}/${encodeURIComponent(v.id)}`, v.input)
            : sendAdmin<T>('POST', path, v.input),
        onSuccess: () => queryClient.invalidateQueries({ queryKey: [key] }),
      });
    },
    useRemove: () => {
      const queryClient = useQueryClient();
      return useMutation({
        mutationFn: (id: string) => sendAdmin<void>('DELETE', `${path}/${encodeURIComponent(id)}`),
        onSuccess: () => queryClient.invalidateQueries({ queryKey: [key] }),
      });
    },
  };
}

export const channelsApi = crud<AlertChannel, AlertChannelInput>(
  'alert-channels',
  '/api/alerts/channels',
  'channels',
);
export const rulesApi = crud<AlertRule, AlertRuleInput>('alert-rules', '/api/alerts/rules', 'rules');
export const schedulesApi = crud<AlertSchedule, AlertScheduleInput>(
  'alert-schedules',
  '/api/alerts/schedules',
  'schedules',
);

export function useSendTest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      sendAdmin<{ deliveryId: number }>('POST', `/api/alerts/channels/${encodeURIComponent(id)}/test`),
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
    queryFn: async ({ signal }) => {
      const villages = await fetchJson<PlaceOption[]>('/api/villages', signal);
      return villages.map((v) => ({ id: v.id, name: v.name }));
    },
    staleTime: 300_000,
  });
}
