import type { CriterionResult, Period } from '@commune-hub/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { hubApi } from '../../../lib/http.ts';
import { useRole, VIEWER_NOTICE } from '../../auth/index.ts';
import { criteriaKeys } from '../api/queries.ts';
import { ManualSection } from './ManualSection.tsx';
import { ReportsSection } from './ReportsSection.tsx';

interface ManagePanelProps {
  setId: string;
  period: Period;
  periodKey: string;
  rows: readonly CriterionResult[];
}

/**
 * The official's part of the page, written through the signed-in session: manual figures (operator) and overrides, the
 * submission and the submitted reports. Every write refreshes the evaluation it changes.
 */
export function ManagePanel({ setId, period, periodKey, rows }: ManagePanelProps) {
  const { canOperate, isAdmin } = useRole();
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
      {!canOperate && (
        <p className="notice" data-testid="viewer-notice">
          {VIEWER_NOTICE}
        </p>
      )}
      <ManualSection
        setId={setId}
        periodKey={periodKey}
        rows={rows}
        client={canOperate ? hubApi : null}
        onSaved={refresh}
      />
      <ReportsSection
        setId={setId}
        period={period}
        periodKey={periodKey}
        client={isAdmin ? hubApi : null}
        onSubmitted={refresh}
      />
    </div>
  );
}
