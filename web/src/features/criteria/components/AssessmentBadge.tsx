import type { Assessment } from '@commune-hub/protocol';
import { useCriteriaI18n } from '../i18n.ts';

/** Đạt / Không đạt / Chưa đánh giá in words and colour (never colour alone). */
export function AssessmentBadge({ assessment }: { assessment: Assessment }) {
  const { c } = useCriteriaI18n();
  const mark = assessment === 'dat' ? '✓' : assessment === 'khong_dat' ? '✕' : '…';
  return (
    <span
      className={`assessment assessment-${assessment}`}
      data-testid="assessment"
      data-assessment={assessment}
    >
      <span aria-hidden="true">{mark}</span> {c.assessments[assessment]}
    </span>
  );
}
