import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

let firstPage = true;

/**
 * The page's one `h1`. It sets the document title and, after a client-side navigation, moves the
 * focus to the heading so that screen-reader users hear where they are (as after a page load).
 */
export function PageHeading({ children, title, lead }: { children: ReactNode; title: string; lead?: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);

  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    ref.current?.focus({ preventScroll: false });
  }, []);

  return (
    <div className="fd-page-heading">
      <h1 className="kern-heading-large" ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {lead ? <p className="kern-body kern-body--large fd-lead">{lead}</p> : null}
    </div>
  );
}
