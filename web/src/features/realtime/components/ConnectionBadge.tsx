import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { useSocketManager } from '../RealtimeProvider.tsx';
import { useConnectionState } from '../useConnectionState.ts';

export function ConnectionBadge() {
  const { t } = useI18n();
  const state = useConnectionState(useSocketManager());
  return (
    <output
      className={`connection connection-${state}`}
      data-testid="connection"
      data-state={state}
      aria-live="polite"
    >
      <span className="connection-dot" aria-hidden="true" />
      {t.connection[state]}
    </output>
  );
}
