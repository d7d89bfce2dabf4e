import { routeUrl } from '@commune-hub/protocol/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { hubApi } from '../../../lib/http.ts';

/** Query keys: everything of one set starts with ['criteria', setId], so a live push can refresh it. */
export const criteriaKeys = {
  sets: ['criteria-sets'] as const,
  set: (setId: string) => ['criteria', setId] as const,
  evaluation: (setId: string, period: string) => ['criteria', setId, 'evaluation', period] as const,
  trend: (setId: string) => ['criteria', setId, 'trend'] as const,
  breakdown: (setId: string, period: string, by: string) =>
    ['criteria', setId, 'breakdown', period, by] as const,
  // Outside ['criteria', setId]: live pushes refetch that prefix, and these do not change with devices.
  setFile: (setId: string) => ['criteria-set-file', setId] as const,
  manual: (setId: string, period: string) => ['criteria-manual', setId, period] as const,
  reports: (setId: string) => ['criteria-reports', setId] as const,
};

export function useCriteriaSets() {
  return useQuery({
    queryKey: criteriaKeys.sets,
    queryFn: ({ signal }) => hubApi.criteriaSetList(undefined, { signal }),
    staleTime: 5 * 60_000,
  });
}

/** The evaluation of a period. Live pushes patch it and refetch it; it never goes stale by time. */
export function useEvaluation(setId: string | null, period: string) {
  return useQuery({
    queryKey: criteriaKeys.evaluation(setId ?? '', period),
    queryFn: ({ signal }) =>
      hubApi.criteriaEvaluation({ params: { id: setId! }, query: { period } }, { signal }),
    enabled: setId !== null,
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
}

export function useTrend(setId: string | null) {
  return useQuery({
    queryKey: criteriaKeys.trend(setId ?? ''),
    queryFn: ({ signal }) =>
      hubApi.criteriaTrend({ params: { id: setId! }, query: { months: 12 } }, { signal }),
    enabled: setId !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useBreakdown(setId: string | null, period: string, by: 'village' | 'formerCommune') {
  return useQuery({
    queryKey: criteriaKeys.breakdown(setId ?? '', period, by),
    queryFn: ({ signal }) =>
      hubApi.criteriaBreakdown({ params: { id: setId! }, query: { period, by } }, { signal }),
    enabled: setId !== null,
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
}

/** Where the annex files of a period are downloaded (plain links; the hub names them, RFC 5987). */
export function exportUrl(setId: string, period: string, format: 'xlsx' | 'docx'): string {
  return routeUrl(format === 'xlsx' ? 'criteriaEvaluationXlsx' : 'criteriaEvaluationDocx', {
    params: { id: setId },
    query: { period },
  });
}

/** Where a submitted report's files are downloaded, built from its frozen snapshot. */
export function reportFileUrl(reportId: number, format: 'xlsx' | 'docx'): string {
  return routeUrl(format === 'xlsx' ? 'criteriaReportXlsx' : 'criteriaReportDocx', {
    params: { id: reportId },
  });
}

/** Manual entries of a period (withdrawn ones too: the audit trail). */
export function useManualEntries(setId: string | null, period: string) {
  return useQuery({
    queryKey: criteriaKeys.manual(setId ?? '', period),
    queryFn: ({ signal }) =>
      hubApi.criteriaManualList({ params: { id: setId! }, query: { period } }, { signal }),
    enabled: setId !== null,
  });
}

/** The set as loaded from its file: its rule inputs and which criteria are entered by hand. */
export function useCriteriaSet(setId: string | null) {
  return useQuery({
    queryKey: criteriaKeys.setFile(setId ?? ''),
    queryFn: ({ signal }) => hubApi.criteriaSetGet({ params: { id: setId! } }, { signal }),
    enabled: setId !== null,
    staleTime: 5 * 60_000,
  });
}

export function useReports(setId: string | null) {
  return useQuery({
    queryKey: criteriaKeys.reports(setId ?? ''),
    queryFn: ({ signal }) => hubApi.criteriaReportList({ query: { setId: setId! } }, { signal }),
    enabled: setId !== null,
  });
}
