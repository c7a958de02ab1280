import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { languageName } from '../../../lib/format';
import {
  CONTACT_STATUSES,
  closeContactRequest,
  convertContactRequest,
  formatUnix,
  listContactRequests,
  type ContactRequest,
} from '../api';
import { useContactRequestsTranslation } from '../i18n';

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'done'; items: ContactRequest[] };

/** `/contact-requests`: the centre's inbox of requests from the public portal. */
export function ContactRequestsPage() {
  const tr = useContactRequestsTranslation();
  const { tc, language } = tr;
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'new';
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<{ reference: string; caseId?: string; caseNumber?: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    listContactRequests(status, controller.signal).then(
      (items) => !controller.signal.aborted && setLoad({ status: 'done', items }),
      (error: unknown) => !controller.signal.aborted && setLoad({ status: 'error', error }),
    );
    return () => controller.abort();
  }, [status, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  async function act(request: ContactRequest, action: 'convert' | 'close') {
    setBusy(request.id);
    setFailure(null);
    try {
      if (action === 'convert') {
        const created = await convertContactRequest(request.id);
        setDone({ reference: request.reference, caseId: created.case_id, caseNumber: created.case_number });
      } else {
        await closeContactRequest(request.id);
        setDone({ reference: request.reference });
      }
      reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  }

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;
  const title = tc('title');
  return (
    <section className="fd-page" data-testid="page-contact-requests">
      <PageHeading title={title} lead={tc('lead')}>
        {title}
      </PageHeading>
      <form className="fd-filters" role="search" aria-label={tc('filter')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="contact-status"
          label={tc('fields.status')}
          value={status}
          onChange={(e) => setParams({ status: e.target.value })}
        >
          {CONTACT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(`status.${s}`)}
            </option>
          ))}
        </SelectField>
      </form>
      <div aria-live="polite">
        {done ? (
          <div className="kern-alert kern-alert--success" role="status">
            <div className="kern-alert__body">
              <p className="kern-body">
                {done.caseId ? tc('converted', { reference: done.reference, number: done.caseNumber }) : tc('closed', { reference: done.reference })}{' '}
                {done.caseId ? (
                  <Link className="kern-link" to={`/cases/${encodeURIComponent(done.caseId)}`}>
                    {tc('openCase')}
                  </Link>
                ) : null}
              </p>
            </div>
          </div>
        ) : null}
      </div>
      {failure ? <ErrorMessage error={failure} /> : null}
      {load.status === 'loading' ? <Loader /> : null}
      {load.status === 'error' ? <ErrorMessage error={load.error} /> : null}
      {load.status === 'done' && load.items.length === 0 ? (
        <p className="kern-body" role="status">
          {tc('none')}
        </p>
      ) : null}
      {load.status === 'done' && load.items.length > 0 ? (
        <ul className="fd-contact-list" data-testid="contact-request-list">
          {load.items.map((r) => (
            <li key={r.id} className="kern-card fd-contact-item" data-testid="contact-request">
              <div className="kern-card__container">
                <div className="kern-card__body">
                  <h2 className="kern-title kern-title--small">
                    {r.name} <span className="kern-body kern-body--small">({r.reference})</span>
                  </h2>
                  <dl className="kern-description-list">
                    <div className="kern-description-list-item">
                      <dt className="kern-description-list-item__key">{tc('fields.received')}</dt>
                      <dd className="kern-description-list-item__value">{formatUnix(r.created_at, language)}</dd>
                    </div>
                    <div className="kern-description-list-item">
                      <dt className="kern-description-list-item__key">{tc('fields.reach')}</dt>
                      <dd className="kern-description-list-item__value">
                        <bdi dir="ltr">{r.reach}</bdi>
                      </dd>
                    </div>
                    <div className="kern-description-list-item">
                      <dt className="kern-description-list-item__key">{tc('fields.language')}</dt>
                      <dd className="kern-description-list-item__value">{languageName(r.language, language)}</dd>
                    </div>
                    <div className="kern-description-list-item">
                      <dt className="kern-description-list-item__key">{tc('fields.topic')}</dt>
                      <dd className="kern-description-list-item__value">{tc(`topics.${r.topic}`)}</dd>
                    </div>
                    {r.postcode ? (
                      <div className="kern-description-list-item">
                        <dt className="kern-description-list-item__key">{tc('fields.postcode')}</dt>
                        <dd className="kern-description-list-item__value">{r.postcode}</dd>
                      </div>
                    ) : null}
                    <div className="kern-description-list-item">
                      <dt className="kern-description-list-item__key">{tc('fields.verified')}</dt>
                      <dd className="kern-description-list-item__value">{tc(r.verified ? 'yes' : 'no')}</dd>
                    </div>
                  </dl>
                  <p className="kern-body fd-contact-message" dir="auto">
                    {r.message}
                  </p>
                  {r.case_id ? (
                    <p className="kern-body">
                      <Link className="kern-link" to={`/cases/${encodeURIComponent(r.case_id)}`}>
                        {tc('openCase')}
                      </Link>
                    </p>
                  ) : null}
                  {r.status === 'new' || r.status === 'suspected_spam' ? (
                    <div className="fd-actions">
                      <Button busy={busy === r.id} onClick={() => act(r, 'convert')}>
                        {tc('convert')}
                      </Button>
                      <Button variant="secondary" busy={busy === r.id} onClick={() => act(r, 'close')}>
                        {tc('close')}
                      </Button>
                    </div>
                  ) : null}
                </div>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
