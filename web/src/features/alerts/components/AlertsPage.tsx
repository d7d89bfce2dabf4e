import { useRole, VIEWER_NOTICE } from '../../auth/index.ts';
import { useSearchParams } from '../useSearchParam.ts';
import { AlertHistory } from './AlertHistory.tsx';
import { ChannelEditor } from './ChannelEditor.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { ScheduleEditor } from './ScheduleEditor.tsx';

const TABS = {
  history: 'Cảnh báo',
  rules: 'Quy tắc',
  channels: 'Kênh nhận tin',
  schedules: 'Lịch làm việc',
} as const;
type Tab = keyof typeof TABS;

/** The alerts page: history with filters, and the rule, channel and schedule editors (tab in the URL). */
export function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const { canOperate, isAdmin, isProvince } = useRole();
  // Everyone may read rules and schedules (protocol's route map: viewer); only admins change them, and
  // channels (addresses, bot tokens) are admin-only to read as well.
  const tabs = (Object.keys(TABS) as Tab[]).filter((t) => t !== 'channels' || isAdmin);
  const asked = (params.get('tab') ?? 'history') as Tab;
  const tab: Tab = tabs.includes(asked) ? asked : 'history';
  return (
    <div className="alerts-page" data-testid="alerts-page">
      <nav className="alerts-tabs" aria-label="Mục cảnh báo">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            className={t === tab ? 'alerts-tab active' : 'alerts-tab'}
            aria-current={t === tab ? 'page' : undefined}
            onClick={() => setParams({ tab: t === 'history' ? null : t })}
            data-testid={`tab-${t}`}
          >
            {TABS[t]}
          </button>
        ))}
      </nav>
      {!canOperate && (
        <p className="notice" data-testid="viewer-notice">
          {VIEWER_NOTICE}
        </p>
      )}
      {tab === 'history' && <AlertHistory />}
      {tab === 'rules' && <RuleEditor canEdit={isAdmin} />}
      {tab === 'channels' && <ChannelEditor />}
      {tab === 'schedules' && <ScheduleEditor canEdit={isAdmin} canAdd={isAdmin && isProvince} />}
    </div>
  );
}
