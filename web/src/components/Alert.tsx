import type { ReactNode } from 'react';

export type AlertTone = 'info' | 'success' | 'warning' | 'danger';

interface AlertProps {
  tone: AlertTone;
  title: ReactNode;
  children?: ReactNode;
  /** `alert` interrupts screen readers (errors); `status` waits politely (confirmations). */
  role?: 'alert' | 'status';
  id?: string;
  headingLevel?: 2 | 3;
}

/** The KERN alert: a coloured frame with an icon, a title and an optional body. */
export function Alert({ tone, title, children, role, id, headingLevel = 2 }: AlertProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className={`kern-alert kern-alert--${tone} fd-alert`} role={role} id={id} data-testid={`alert-${tone}`}>
      <div className="kern-alert__header">
        <span className={`kern-icon kern-icon--${tone}`} aria-hidden="true" />
        <Heading className="kern-title">{title}</Heading>
      </div>
      {children ? <div className="kern-alert__body">{children}</div> : null}
    </div>
  );
}
