import { useSearchParams } from '../useSearchParam.ts';
import { AdminTokenField } from './AdminTokenField.tsx';
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
  const tab = (
    (params.get('tab') ?? 'history') in TABS ? (params.get('tab') ?? 'history') : 'history'
  ) as Tab;
  return (
    <div className="alerts-page" data-testid="alerts-page">
      <nav className="alerts-tabs" aria-label="Mục cảnh báo">
        {(Object.keys(TABS) as Tab[]).map((t) => (
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
      <AdminTokenField />
      {tab === 'history' && <AlertHistory />}
      {tab === 'rules' && <RuleEditor />}
      {tab === 'channels' && <ChannelEditor />}
      {tab === 'schedules' && <ScheduleEditor />}
    </div>
  );
}
