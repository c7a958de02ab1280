import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { Button } from '../../../components/Button';
import { useUser } from '../../../lib/auth';
import { AUDIENCES, ITEM_TYPES, LANGUAGES, RTL, TOPICS, listItems, search, useLoad, type SearchFilters } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';
import { Snippet } from './Snippet';
import { EditorHome } from './EditorHome';
import '../knowledge.css';


/** `/knowledge`: one search box over every item the user may read, with filters; the list of items. */
export function KnowledgePage() {
  const tr = useKnowledgeTranslation();
  const { tc, language } = tr;
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const filters: SearchFilters = {
    q: params.get('q') ?? '',
    lang: params.get('lang') ?? language,
    type: params.get('type') ?? undefined,
    topic: params.get('topic') ?? undefined,
    language: params.get('language') ?? undefined,
    audience: params.get('audience') ?? undefined,
  };
  const [draft, setDraft] = useState(filters.q);
  const key = params.toString();
  const results = useLoad(`search?${key}`, (signal) =>
    filters.q.trim() ? search(filters, signal).then((p) => p.items) : Promise.resolve(null),
  );
  const items = useLoad(`items?${language}`, (signal) => listItems(language, signal));

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set('q', draft.trim());
  };

  return (
    <section className="fd-page" data-testid="page-knowledge">
      <PageHeading title={tc('title')} lead={tc('lead')}>
        {tc('title')}
      </PageHeading>
      {user.role === 'competence_centre' ? <EditorHome /> : null}
      <form className="fd-kb-search" role="search" aria-label={tc('search.form')} onSubmit={submit}>
        <div className="fd-kb-searchrow">
          <TextField
            id="kb-q"
            type="search"
            label={tc('search.label')}
            hint={tc('search.hint')}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <Button type="submit" icon="search">
            {tc('search.submit')}
          </Button>
        </div>
        <div className="fd-filters">
          <SelectField id="kb-lang" label={tc('search.queryLanguage')} value={filters.lang} onChange={(e) => set('lang', e.target.value)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {tc(`languages.${l}`)}
              </option>
            ))}
          </SelectField>
          <SelectField id="kb-type" label={tc('fields.type')} value={filters.type ?? ''} onChange={(e) => set('type', e.target.value)}>
            <option value="">{tc('search.any')}</option>
            {ITEM_TYPES.map((t) => (
              <option key={t} value={t}>
                {tc(`types.${t}`)}
              </option>
            ))}
          </SelectField>
          <SelectField id="kb-topic" label={tc('fields.topic')} value={filters.topic ?? ''} onChange={(e) => set('topic', e.target.value)}>
            <option value="">{tc('search.any')}</option>
            {TOPICS.map((t) => (
              <option key={t} value={t}>
                {tc(`topics.${t}`)}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="kb-language"
            label={tc('search.resultLanguage')}
            value={filters.language ?? ''}
            onChange={(e) => set('language', e.target.value)}
          >
            <option value="">{tc('search.anyLanguage')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {tc(`languages.${l}`)}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="kb-audience"
            label={tc('fields.audience')}
            value={filters.audience ?? ''}
            onChange={(e) => set('audience', e.target.value)}
          >
            <option value="">{tc('search.any')}</option>
            {AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {tc(`audience.${a}`)}
              </option>
            ))}
          </SelectField>
        </div>
      </form>

      {filters.q ? (
        <section aria-labelledby="kb-results-heading" className="fd-kb-results">
          <h2 id="kb-results-heading" className="kern-heading-medium">
            {tc('search.results')}
          </h2>
          {results.status === 'loading' ? <Loader /> : null}
          {results.status === 'error' ? <ErrorMessage error={results.error} /> : null}
          {results.status === 'done' && results.data && results.data.length === 0 ? (
            <p className="kern-body" role="status">
              {tc('search.none')}
            </p>
          ) : null}
          {results.status === 'done' && results.data?.length ? (
            <ol className="fd-kb-hits" data-testid="kb-results">
              {results.data.map((h) => (
                <li key={`${h.id}-${h.language}`} className="fd-kb-hit" data-testid="kb-hit" lang={h.language} dir={RTL.has(h.language) ? 'rtl' : 'ltr'}>
                  <Link className="kern-link fd-kb-hit-title" to={`/knowledge/items/${encodeURIComponent(h.id)}?lang=${h.language}`}>
                    {h.title}
                  </Link>
                  <span className="fd-kb-badges" dir="ltr">
                    <span className="kern-badge kern-badge--info">{tc(`types.${h.type}`)}</span>{' '}
                    <span className="kern-badge">{tc(`languages.${h.language}`)}</span>{' '}
                    {h.audience === 'internal' ? <span className="kern-badge kern-badge--warning">{tc('audience.internal')}</span> : null}
                  </span>
                  <p className="kern-body fd-kb-snippet">
                    <Snippet snippet={h.snippet} />
                  </p>
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="kb-items-heading">
        <h2 id="kb-items-heading" className="kern-heading-medium">
          {tc('list.title')}
        </h2>
        {items.status === 'loading' ? <Loader /> : null}
        {items.status === 'error' ? <ErrorMessage error={items.error} /> : null}
        {items.status === 'done' ? (
          <ul className="fd-kb-list" data-testid="kb-items">
            {items.data.map((s) => (
              <li key={s.id}>
                <Link className="kern-link" to={`/knowledge/items/${encodeURIComponent(s.id)}?lang=${language}`}>
                  {s.title}
                </Link>{' '}
                <span className="kern-badge kern-badge--info">{tc(`types.${s.type}`)}</span>
                {s.audience === 'internal' ? (
                  <>
                    {' '}
                    <span className="kern-badge kern-badge--warning">{tc('audience.internal')}</span>
                  </>
                ) : null}
                {s.notices.map((n) => (
                  <span key={n}>
                    {' '}
                    <span className="kern-badge">{tc(`notices.short.${n}`)}</span>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </section>
  );
}
