import { useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { formatDate, formatTimestamp, useLoad, verifyCertificate } from '../api/events';
import { useEventsTranslation } from '../i18n';

/** `/verify/:code` (public): anyone holding a certificate of attendance can check it here. */
export function VerifyPage() {
  const tr = useEventsTranslation();
  const { tc, language } = tr;
  const { code = '' } = useParams();
  const result = useLoad(`verify:${code}`, (signal) => verifyCertificate(code, signal));
  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || result.status === 'loading') return <Loader />;
  const title = tc('verify.title');
  return (
    <section className="fd-page" data-testid="page-verify">
      <PageHeading title={title} lead={tc('verify.lead', { code })}>
        {title}
      </PageHeading>
      {result.status === 'error' ? (
        result.error instanceof ApiError && result.error.status === 404 ? (
          <Alert tone="danger" role="alert" title={tc('verify.unknown')} />
        ) : (
          <ErrorMessage error={result.error} />
        )
      ) : (
        <Alert tone="success" role="status" title={tc('verify.valid')}>
          <dl className="fd-ev-facts" data-testid="verify-result">
            <dt>{tc('verify.number')}</dt>
            <dd>{result.data.number}</dd>
            <dt>{tc('verify.name')}</dt>
            <dd>{result.data.name}</dd>
            <dt>{tc('verify.event')}</dt>
            <dd>{result.data.event_title}</dd>
            <dt>{tc('verify.organiser')}</dt>
            <dd>{result.data.organiser}</dd>
            <dt>{tc('verify.dates')}</dt>
            <dd>{result.data.dates.map((d) => formatDate(d, language)).join(', ')}</dd>
            <dt>{tc('verify.issued')}</dt>
            <dd>{formatTimestamp(result.data.issued_at, language)}</dd>
          </dl>
        </Alert>
      )}
    </section>
  );
}
