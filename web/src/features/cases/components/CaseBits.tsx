/** Small pieces shown wherever a case appears: status and priority badges, the assignee. */
import type { Case } from '../api/types';
import type { CasesTranslation } from '../i18n';

const STATUS_TONE: Record<string, string> = { open: 'info', waiting_client: 'warning', waiting_third_party: 'warning', referred: 'info', closed: 'success' };
const PRIORITY_TONE: Record<string, string | undefined> = { high: 'warning', urgent: 'danger' };

export function StatusBadge({ status, tr }: { status: string; tr: CasesTranslation }) {
  return (
    <span className={`kern-badge kern-badge--${STATUS_TONE[status] ?? 'info'}`} data-testid="case-status">
      <span className="kern-label kern-label--small">{tr.tc(`status.${status}`)}</span>
    </span>
  );
}

export function PriorityText({ priority, tr }: { priority: string; tr: CasesTranslation }) {
  const tone = PRIORITY_TONE[priority];
  if (!tone) return <>{tr.tc(`priority.${priority}`)}</>;
  return (
    <span className={`kern-badge kern-badge--${tone}`}>
      <span className="kern-label kern-label--small">{tr.tc(`priority.${priority}`)}</span>
    </span>
  );
}

/** The assignee's name, marked when it is the signed-in user. */
export function assigneeText(c: Pick<Case, 'assignee_id' | 'assignee_name'>, userId: string, tr: CasesTranslation): string {
  if (!c.assignee_id) return tr.tc('assignee.none');
  if (!c.assignee_name) return tr.tc('assignee.colleague');
  return c.assignee_id === userId ? tr.tc('assignee.self', { name: c.assignee_name }) : c.assignee_name;
}
