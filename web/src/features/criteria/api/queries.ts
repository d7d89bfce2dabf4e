import type { Breakdown, CriteriaSetSummary, Evaluation, Trend } from '@commune-hub/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchJson, withQuery } from '../../../lib/http.ts';

/** Query keys: everything of one set starts with ['criteria', setId], so a live push can refresh it. */
export const criteriaKeys = {
  sets: ['criteria-sets'] as const,
  set: (setId: string) => ['criteria', setId] as const,
  evaluation: (setId: string, period: string) => ['criteria', setId, 'evaluation', period] as const,
  trend: (setId: string) => ['criteria', setId, 'trend'] as const,
  breakdown: (setId: string, period: string, by: string) =>
    ['criteria', setId, 'breakdown', period, by] as const,
};

const base = (setId: string) => `/api/criteria-sets/${encodeURIComponent(setId)}`;

export function useCriteriaSets() {
  return useQuery({
    queryKey: criteriaKeys.sets,
    queryFn: ({ signal }) => fetchJson<CriteriaSetSummary[]>('/api/criteria-sets', signal),
    staleTime: 5 * 60_000,
  });
}

/** The evaluation of a period. Live pushes patch it and refetch it; it never goes stale by time. */
export function useEvaluation(setId: string | null, period: string) {
  return useQuery({
    queryKey: criteriaKeys.evaluation(setId ?? '', period),
    queryFn: ({ signal }) =>
      fetchJson<Evaluation>(withQuery(`${base(setId!)}/evaluation`, { period }), signal),
    enabled: setId !== null,
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
}

export function useTrend(setId: string | null) {
  return useQuery({
    queryKey: criteriaKeys.trend(setId ?? ''),
    queryFn: ({ signal }) => fetchJson<Trend>(withQuery(`${base(setId!)}/trend`, { months: 12 }), signal),
    enabled: setId !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useBreakdown(setId: string | null, period: string, by: 'village' | 'formerCommune') {
  return useQuery({
    queryKey: criteriaKeys.breakdown(setId ?? '', period, by),
    queryFn: ({ signal }) =>
      fetchJson<Breakdown>(withQuery(`${base(setId!)}/breakdown`, { period, by }), signal),
    enabled: setId !== null,
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
}

/** Where the annex files of a period are downloaded (the hub names them, RFC 5987). */
export function exportUrl(setId: string, period: string, format: 'xlsx' | 'docx'): string {
  return withQuery(`${base(setId)}/evaluation.${format}`, { period });
}
