import type { TFunction } from 'i18next';

const TONES: Record<string, string> = {
  draft: 'neutral',
  published: 'success',
  cancelled: 'danger',
  completed: 'info',
  confirmed: 'success',
  waitlisted: 'warning',
  offered: 'info',
  attended: 'success',
  no_show: 'danger',
};

/** The status of an event or registration as a KERN badge. */
export function StatusBadge({ status, tc }: { status: string; tc: TFunction }) {
  return (
    <span className={`kern-badge kern-badge--${TONES[status] ?? 'neutral'}`} data-testid={`status-${status}`}>
      <span className="kern-label kern-label--small">{tc(`status.${status}`)}</span>
    </span>
  );
}
