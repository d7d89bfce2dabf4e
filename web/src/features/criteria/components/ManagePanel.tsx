import type { CriterionResult, Period } from '@commune-hub/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useAdminClient, useAdminToken } from '../api/admin.ts';
import { criteriaKeys } from '../api/queries.ts';
import { AdminTokenBox } from './AdminTokenBox.tsx';
import { ManualSection } from './ManualSection.tsx';
import { ReportsSection } from './ReportsSection.tsx';

interface ManagePanelProps {
  setId: string;
  period: Period;
  periodKey: string;
  rows: readonly CriterionResult[];
}

/**
 * The official's part of the page: the admin token (once per tab), manual figures and overrides, the
 * submission and the submitted reports. Every write refreshes the evaluation it changes.
 */
export function ManagePanel({ setId, period, periodKey, rows }: ManagePanelProps) {
  const { token, setToken } = useAdminToken();
  const client = useAdminClient(token);
  const queryClient = useQueryClient();
  const refresh = useCallback(() => {
    for (const queryKey of [
      criteriaKeys.set(setId),
      criteriaKeys.manual(setId, periodKey),
      criteriaKeys.reports(setId),
    ]) {
      void queryClient.invalidateQueries({ queryKey });
    }
  }, [queryClient, setId, periodKey]);

  return (
    <div className="manage-panel" data-testid="manage-panel">
      <AdminTokenBox token={token} onToken={setToken} />
      <ManualSection setId={setId} periodKey={periodKey} rows={rows} client={client} onSaved={refresh} />
      <ReportsSection
        setId={setId}
        period={period}
        periodKey={periodKey}
        client={client}
        onSubmitted={refresh}
      />
    </div>
  );
}
