import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { answeredEscalations, caseDescriptionFrom, editorList, resolveSuggestion, reviewQueue, suggestions, useLoad } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';

/** The Competence Centre's desk above the search: new item, review queue, suggestions, all items. */
export function EditorHome() {
  const { tc } = useKnowledgeTranslation();
  const queue = useLoad('kb-queue', (signal) => reviewQueue(signal));
  const sugs = useLoad('kb-suggestions', (signal) => suggestions(signal));
  const all = useLoad('kb-editor-items', (signal) => editorList(signal));
  const escalations = useLoad('kb-escalations', (signal) => answeredEscalations(signal).catch(() => []));
  const navigate = useNavigate();
  const [escalation, setEscalation] = useState('');
  const [fromError, setFromError] = useState<unknown>(null);
  return (
    <div className="fd-kb-desk" data-testid="kb-desk">
      <p>
        <Link className="kern-btn kern-btn--primary" to="/knowledge/new">
          <span className="kern-label">{tc('editor.new')}</span>
        </Link>
      </p>
      {escalations.status === 'done' && escalations.data.length ? (
        <form
          className="fd-kb-from-escalation"
          onSubmit={(e) => {
            e.preventDefault();
            if (!escalation) return;
            setFromError(null);
            caseDescriptionFrom(escalation).then((v) => navigate(`/knowledge/edit/${encodeURIComponent(v.item.id)}`), setFromError);
          }}
        >
          <div className="kern-form-input">
            <label className="kern-label" htmlFor="kb-escalation">
              {tc('caseDescription.escalation')}
            </label>
            <div className="kern-hint" id="kb-escalation-hint">
              {tc('caseDescription.hint')}
            </div>
            <select
              id="kb-escalation"
              className="kern-form-input__select"
              aria-describedby="kb-escalation-hint"
              value={escalation}
              onChange={(e) => setEscalation(e.target.value)}
            >
              <option value="">—</option>
              {escalations.data.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.summary.length > 90 ? `${x.summary.slice(0, 89)}…` : x.summary}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="kern-btn kern-btn--secondary">
            <span className="kern-label">{tc('caseDescription.create')}</span>
          </button>
          {fromError ? <ErrorMessage error={fromError} /> : null}
        </form>
      ) : null}
      <section aria-labelledby="kb-queue-heading">
        <h2 id="kb-queue-heading" className="kern-heading-medium">
          {tc('queue.title')}
        </h2>
        {queue.status === 'loading' ? <Loader /> : null}
        {queue.status === 'error' ? <ErrorMessage error={queue.error} /> : null}
        {queue.status === 'done' && !queue.data.length ? <p className="kern-body">{tc('queue.none')}</p> : null}
        {queue.status === 'done' && queue.data.length ? (
          <ul data-testid="kb-queue">
            {queue.data.map((q) => (
              <li key={`${q.item_id}-${q.language}-${q.reason}`}>
                <Link className="kern-link" to={`/knowledge/edit/${encodeURIComponent(q.item_id)}?lang=${q.language}`}>
                  {q.title}
                </Link>{' '}
                <span className="kern-badge">{tc(`languages.${q.language}`)}</span>{' '}
                <span className="kern-badge kern-badge--warning">{tc(`queue.reason.${q.reason}`)}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section aria-labelledby="kb-sug-heading">
        <h2 id="kb-sug-heading" className="kern-heading-medium">
          {tc('suggest.inbox')}
        </h2>
        {sugs.status === 'done' && !sugs.data.length ? <p className="kern-body">{tc('suggest.none')}</p> : null}
        {sugs.status === 'done' && sugs.data.length ? (
          <ul data-testid="kb-suggestions">
            {sugs.data.map((s) => (
              <li key={s.id}>
                <Link className="kern-link" to={`/knowledge/edit/${encodeURIComponent(s.item_id)}`}>
                  {s.body}
                </Link>{' '}
                <button
                  type="button"
                  className="kern-btn kern-btn--tertiary"
                  onClick={() => resolveSuggestion(s.id).then(sugs.reload, sugs.reload)}
                >
                  <span className="kern-label">{tc('suggest.resolve')}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <details className="fd-kb-all">
        <summary>{tc('editor.all')}</summary>
        {all.status === 'done' ? (
          <ul data-testid="kb-editor-items">
            {all.data.map((s) => (
              <li key={s.id}>
                <Link className="kern-link" to={`/knowledge/edit/${encodeURIComponent(s.id)}`}>
                  {s.title}
                </Link>{' '}
                <span className="kern-body kern-body--small">
                  {s.notices
                    .map((n) => {
                      const [lang, status, outdated] = n.split(':');
                      return `${lang}: ${tc(`status.${status}`)}${outdated ? ` (${tc('status.outdated')})` : ''}`;
                    })
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </details>
    </div>
  );
}
