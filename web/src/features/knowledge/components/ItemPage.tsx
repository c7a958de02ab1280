import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { useUser } from '../../../lib/auth';
import { RTL, readItem, suggest, useLoad } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';
import { Attachments } from './Attachments';
import { LetterTemplate } from './LetterTemplate';
import '../knowledge.css';

/** `/knowledge/items/:id?lang=`: an item as readers see it, with fallback/outdated/review notices. */
export function ItemPage() {
  const tr = useKnowledgeTranslation();
  const { tc, language: uiLanguage } = tr;
  const user = useUser();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const lang = params.get('lang') ?? uiLanguage;
  const view = useLoad(`item/${id}/${lang}`, (signal) => readItem(id, lang, signal));
  const [suggestion, setSuggestion] = useState('');
  const [sent, setSent] = useState<'idle' | 'busy' | 'sent' | Error>('idle');

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || view.status === 'loading') return <Loader />;
  if (view.status === 'error') return <ErrorMessage error={view.error} />;
  const v = view.data;
  const maySuggest = ['advisor', 'centre_lead', 'competence_centre'].includes(user.role);

  return (
    <article className="fd-page fd-kb-item" data-testid="page-knowledge-item">
      <p>
        <Link className="kern-link" to="/knowledge">
          {tc('item.back')}
        </Link>
        {user.role === 'competence_centre' ? (
          <>
            {' · '}
            <Link className="kern-link" to={`/knowledge/edit/${encodeURIComponent(id)}`}>
              {tc('item.edit')}
            </Link>
          </>
        ) : null}
      </p>
      <div className="fd-kb-meta">
        <span className="kern-badge kern-badge--info">{tc(`types.${v.item.type}`)}</span>{' '}
        {v.item.audience === 'internal' ? <span className="kern-badge kern-badge--warning">{tc('audience.internal')}</span> : null}
        {v.languages.length > 1 ? (
          <label className="fd-kb-langswitch">
            <span className="kern-label">{tc('item.language')}</span>{' '}
            <select className="kern-form-input__select" value={v.language} onChange={(e) => setParams({ lang: e.target.value })}>
              {v.languages.map((l) => (
                <option key={l} value={l}>
                  {tc(`languages.${l}`)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {v.notices.map((n) => (
        <Alert key={n} tone={n === 'review_due' || n === 'outdated' ? 'warning' : 'info'} title={tc(`notices.${n}.title`)}>
          <span data-testid={`kb-notice-${n}`}>
            {tc(`notices.${n}.text`, { requested: tc(`languages.${v.requested_language}`), shown: tc(`languages.${v.language}`) })}
          </span>
        </Alert>
      ))}
      <div lang={v.language} dir={RTL.has(v.language) ? 'rtl' : 'ltr'}>
        <h1 className="kern-heading-large">{v.title}</h1>
        {/* Rendered and sanitised on the server (cmark-gfm safe mode; raw HTML refused on save). */}
        <div className="fd-kb-body kern-body" data-testid="kb-body" dangerouslySetInnerHTML={{ __html: v.html }} />
      </div>
      <p className="kern-body kern-body--small" data-testid="kb-valid">
        {v.valid_as_of ? tc('item.validAsOf', { date: new Date(`${v.valid_as_of}T12:00:00Z`).toLocaleDateString(uiLanguage) }) : null}
        {v.item.review_date ? ` · ${tc('item.reviewDate', { date: new Date(`${v.item.review_date}T12:00:00Z`).toLocaleDateString(uiLanguage) })}` : null}
      </p>
      <Attachments itemId={id} />
      {v.item.type === 'letter_template' ? <LetterTemplate markdown={v.markdown} /> : null}
      {maySuggest ? (
        <form
          className="fd-kb-suggest"
          onSubmit={(e) => {
            e.preventDefault();
            if (!suggestion.trim()) return;
            setSent('busy');
            suggest(id, suggestion.trim(), v.language).then(
              () => {
                setSent('sent');
                setSuggestion('');
              },
              (err: Error) => setSent(err),
            );
          }}
        >
          <h2 className="kern-heading-small">{tc('suggest.title')}</h2>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor="kb-suggestion">
              {tc('suggest.label')}
            </label>
            <textarea id="kb-suggestion" className="kern-form-input__input" rows={3} value={suggestion} onChange={(e) => setSuggestion(e.target.value)} />
          </div>
          <Button type="submit" variant="secondary" busy={sent === 'busy'}>
            {tc('suggest.send')}
          </Button>
          {sent === 'sent' ? (
            <p className="kern-body" role="status">
              {tc('suggest.sent')}
            </p>
          ) : null}
          {sent instanceof Error ? <ErrorMessage error={sent} /> : null}
        </form>
      ) : null}
    </article>
  );
}
