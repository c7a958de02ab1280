import type { TFunction } from 'i18next';

const TONE: Record<string, string> = { open: 'warning', answered: 'success', closed: 'info' };

export function StatusBadge({ status, tc }: { status: string; tc: TFunction }) {
  return (
    <span className={`kern-badge kern-badge--${TONE[status] ?? 'info'}`} data-testid="escalation-status">
      <span className="kern-label kern-label--small">{tc(`status.${status}`)}</span>
    </span>
  );
}
