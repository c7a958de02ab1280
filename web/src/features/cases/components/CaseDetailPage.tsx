import { useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import { getCase, listDocuments, topicLabel, useLoad, useTopics } from '../api/cases';
import type { CaseDetail, Document, Topic } from '../api/types';
import { useCasesTranslation, type CasesTranslation } from '../i18n';
import { formatCents } from '../money';
import { formatDate } from '../reference';
import { assigneeText, PriorityText, StatusBadge } from './CaseBits';
import {
  CloseForm,
  ConsultationForm,
  DeadlineForm,
  DocumentForm,
  EditCaseForm,
  EscalationForm,
  ReferralForm,
  ReopenForm,
  TransferForm,
  type CaseFormProps,
} from './CaseForms';
import { AssignControl } from './Assign';
import { EmploymentFacts, EmploymentForm } from './Employment';
import { CaseSummary } from './CaseSummary';
import { CaseHistory } from './History';
import { Timeline } from './Timeline';
import { fittingCalculators } from '../fittingCalculators';
import '../cases.css';

const FORMS = {
  consultation: ConsultationForm,
  edit: EditCaseForm,
  employment: EmploymentForm,
  deadline: DeadlineForm,
  referral: ReferralForm,
  escalation: EscalationForm,
  document: DocumentForm,
  transfer: TransferForm,
  close: CloseForm,
} satisfies Record<string, (props: CaseFormProps) => unknown>;
type FormName = keyof typeof FORMS;

/** `/cases/:id`: the case header, its timeline and the forms to add to it. */
export function CaseDetailPage() {
  const { id = '' } = useParams();
  const tr = useCasesTranslation();
  const topics = useTopics();
  const detail = useLoad(`case:${id}`, (signal) => getCase(id, signal));
  const documents = useLoad(`documents:${id}`, (signal) => listDocuments(id, signal), detail.status === 'done');

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || detail.status === 'loading') return <Loader />;
  if (detail.status === 'error') {
    if (detail.error instanceof ApiError && detail.error.status === 404) return <CaseNotFound tr={tr} />;
    return <ErrorMessage error={detail.error} />;
  }
  return (
    <CaseView
      key={detail.data.id}
      detail={detail.data}
      documents={documents.status === 'done' ? documents.data : []}
      topics={topics.status === 'done' ? topics.data : []}
      tr={tr}
      reload={() => {
        detail.reload();
        documents.reload();
      }}
    />
  );
}

function CaseNotFound({ tr }: { tr: CasesTranslation }) {
  const title = tr.tc('detail.notFoundTitle');
  return (
    <section className="fd-page" data-testid="case-not-found">
      <PageHeading title={title}>{title}</PageHeading>
      <p className="kern-body">{tr.tc('detail.notFoundText')}</p>
      <p className="kern-body">
        <Link className="kern-link" to="/cases">
          {tr.tc('detail.back')}
        </Link>
      </p>
    </section>
  );
}

interface CaseViewProps {
  detail: CaseDetail;
  documents: Document[];
  topics: Topic[];
  tr: CasesTranslation;
  reload: () => void;
}

function CaseView({ detail, documents, topics, tr, reload }: CaseViewProps) {
  const { tc, language } = tr;
  const user = useUser();
  const [open, setOpen] = useState<FormName | null>(null);
  const [reopening, setReopening] = useState(false);
  const [warnings, setWarnings] = useState<{ code: string; count: number }[]>([]);
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>(() => (location.state as { notice?: string } | null)?.notice ?? null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const closed = detail.status === 'closed';
  const title = tc('detail.title', { number: detail.number });
  const Form = open ? FORMS[open] : null;

  function toggle(name: FormName) {
    setNotice(null);
    setOpen((current) => (current === name ? null : name));
    // After rendering, put the focus into the form that opened.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#case-form-panel input, #case-form-panel select, #case-form-panel textarea')?.focus());
  }

  function done(message: string, closingWarnings: { code: string; count: number }[] = []) {
    setWarnings(closingWarnings);
    const name = open;
    setOpen(null);
    setNotice(message);
    reload();
    requestAnimationFrame(() => noticeRef.current?.focus());
    if (name) document.getElementById(`case-action-${name}`)?.blur();
  }

  return (
    <section className="fd-page" data-testid="page-case">
      <PageHeading title={title}>{title}</PageHeading>
      <div className="fd-case-header" data-testid="case-header">
        <dl className="kern-description-list kern-description-list--col fd-case-facts">
          <Fact label={tc('fields.status')}>
            <StatusBadge status={detail.status} tr={tr} />
          </Fact>
          <Fact label={tc('fields.priority')}>
            <PriorityText priority={detail.priority} tr={tr} />
          </Fact>
          <Fact label={tc('fields.assignee')}>
            <span data-testid="case-assignee">{assigneeText(detail, user.id, tr)}</span>
          </Fact>
          <Fact label={tc('fields.opened')}>{formatDate(detail.opened_on, language)}</Fact>
          {detail.closed_on ? <Fact label={tc('fields.closed')}>{formatDate(detail.closed_on, language)}</Fact> : null}
          <Fact label={tc('fields.topics')}>{detail.topics.map((t) => topicLabel(topics, t, language)).join(', ')}</Fact>
          <Fact label={tc('fields.riskFlags')}>
            {detail.risk_flags.length ? (
              <ul className="fd-badge-list">
                {detail.risk_flags.map((f) => (
                  <li key={f}>
                    <span className="kern-badge kern-badge--danger">
                      <span className="kern-label kern-label--small">{tc(`riskFlag.${f}`)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              tc('detail.noRiskFlags')
            )}
          </Fact>
          {detail.outcome ? (
            <Fact label={tc('fields.outcome')}>
              <span data-testid="case-outcome">
                {[
                  tc('close.wagesShown', { amount: formatCents(detail.outcome.wages_recovered_cents, language) }),
                  ...(['claim_filed', 'settled', 'referred', 'no_further_action'] as const)
                    .filter((f) => detail.outcome?.[f])
                    .map((f) => tc(`outcome.${f}`)),
                  detail.closing_reason ? tc(`closingReason.${detail.closing_reason}`) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </Fact>
          ) : null}
        </dl>
        {detail.narrative ? (
          <div className="fd-narrative" data-testid="case-narrative">
            <h2 className="kern-heading-small">{tc('fields.narrative')}</h2>
            <p className="kern-body fd-notes">{detail.narrative}</p>
          </div>
        ) : null}
        <EmploymentFacts employment={detail.employment} closed={closed} tr={tr} />
        {user.role === 'centre_lead' && !closed ? <AssignControl detail={detail} tr={tr} onDone={done} /> : null}
        <p className="kern-body">
          <Link className="kern-link" to={`/calculators/dismissal-claim-deadline?case=${encodeURIComponent(detail.id)}`} data-testid="open-calculator">
            <span className="kern-icon kern-icon--open-in-new" aria-hidden="true" />
            {tc('detail.openCalculator')}
          </Link>
        </p>
        <FittingCalculators detail={detail} tr={tr} />
        <p className="kern-body">
          <Link className="kern-link" to={`/cases/${encodeURIComponent(detail.id)}/esf`} data-testid="open-esf">
            {tc('detail.esf')}
          </Link>
        </p>
      </div>

      <div ref={noticeRef} tabIndex={-1} className="fd-focus-target" aria-live="polite">
        {notice ? <Alert tone="success" role="status" title={notice} /> : null}
        {warnings.length ? (
          <Alert tone="warning" role="status" title={tc('close.stillOpen')} headingLevel={2}>
            <ul className="kern-list">
              {warnings.map((w) => (
                <li key={w.code}>{tc(`close.warning.${w.code}`, { count: w.count })}</li>
              ))}
            </ul>
          </Alert>
        ) : null}
      </div>

      <CaseSummary detail={detail} tr={tr} onChanged={done} />

      {!closed ? (
        <section className="fd-panel fd-case-actions" aria-labelledby="case-actions-title">
          <h2 className="kern-heading-medium" id="case-actions-title">
            {tc('detail.actions')}
          </h2>
          <ul className="fd-action-bar">
            {(Object.keys(FORMS) as FormName[]).map((name) => (
              <li key={name}>
                <button
                  id={`case-action-${name}`}
                  type="button"
                  className={`kern-btn kern-btn--${open === name ? 'primary' : 'secondary'}`}
                  aria-expanded={open === name}
                  aria-controls="case-form-panel"
                  onClick={() => toggle(name)}
                >
                  <span className={`kern-icon kern-icon--${ICONS[name]}`} aria-hidden="true" />
                  <span className="kern-label">{tc(`detail.action.${name}`)}</span>
                </button>
              </li>
            ))}
          </ul>
          <div id="case-form-panel" className="fd-case-form">
            {Form ? <Form detail={detail} topics={topics} tr={tr} onDone={done} onCancel={() => setOpen(null)} /> : null}
          </div>
        </section>
      ) : (
        <section className="fd-panel fd-case-actions" aria-labelledby="case-closed-title">
          <h2 className="kern-heading-medium" id="case-closed-title">
            {tc('detail.closedNote')}
          </h2>
          {reopening ? (
            <div id="case-form-panel" className="fd-case-form">
              <ReopenForm detail={detail} topics={topics} tr={tr} onDone={(m) => { setReopening(false); done(m); }} onCancel={() => setReopening(false)} />
            </div>
          ) : (
            <button type="button" className="kern-btn kern-btn--secondary" onClick={() => setReopening(true)}>
              <span className="kern-icon kern-icon--autorenew" aria-hidden="true" />
              <span className="kern-label">{tc('reopen.open')}</span>
            </button>
          )}
        </section>
      )}

      <Timeline detail={detail} documents={documents} topics={topics} tr={tr} onChanged={done} />
      <CaseHistory key={detail.updated_at} caseId={detail.id} version={detail.updated_at} topics={topics} tr={tr} />
      {user.role === 'centre_lead' ? (
        <p className="kern-body">
          <Link className="kern-link" to={`/audit?record_id=${encodeURIComponent(detail.id)}`} data-testid="case-audit-link">
            {tc('history.audit')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

const ICONS: Record<FormName, string> = {
  consultation: 'add',
  edit: 'edit',
  employment: 'checklist',
  deadline: 'calendar-today',
  referral: 'arrow-forward',
  escalation: 'help',
  document: 'drive-folder-upload',
  transfer: 'autorenew',
  close: 'check',
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

/** Calculators that fit the case's topics and recorded facts, opened with the case (prefilled, results attachable). */
function FittingCalculators({ detail, tr }: { detail: CaseDetail; tr: CasesTranslation }) {
  const names = fittingCalculators(detail.topics, detail.employment);
  if (!names.length) return null;
  return (
    <nav className="fd-fitting" aria-label={tr.tc('detail.fittingCalculators')} data-testid="fitting-calculators">
      <span className="kern-body kern-body--small">{tr.tc('detail.fittingCalculators')}:</span>
      <ul className="fd-badge-list">
        {names.map((n) => (
          <li key={n}>
            <Link className="kern-link" to={`/calculators/${n}?case=${encodeURIComponent(detail.id)}`}>
              {tr.tc(`calculator.${n}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
