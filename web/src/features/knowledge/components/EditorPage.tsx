import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import {
  LANGUAGES,
  RTL,
  archive,
  diff,
  editorView,
  restore,
  saveText,
  step,
  useLoad,
  type DiffView,
  type EditorView,
  type Translation,
} from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';
import { serverDetailText, serverFieldText } from '../serverText';
import { Attachments } from './Attachments';
import { FigureTools } from './FigureTools';
import { ItemSettings } from './ItemSettings';
import '../knowledge.css';

/** `/knowledge/edit/:id?lang=`: write, translate, submit, review and publish, revisions with diff and restore. */
export function EditorPage() {
  const tr = useKnowledgeTranslation();
  const { tc, language: uiLanguage } = tr;
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const view = useLoad(`editor/${id}`, (signal) => editorView(id, signal));
  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || view.status === 'loading') return <Loader />;
  if (view.status === 'error') return <ErrorMessage error={view.error} />;
  const v = view.data;
  const lang = params.get('lang') ?? v.item.source_language;
  const source = v.translations.find((t) => t.language === v.item.source_language)!;
  const current = v.translations.find((t) => t.language === lang);
  const missing = LANGUAGES.filter((l) => !v.translations.some((t) => t.language === l));

  return (
    <section className="fd-page fd-kb-editor" data-testid="page-knowledge-editor">
      <p>
        <Link className="kern-link" to="/knowledge">
          {tc('item.back')}
        </Link>
        {' · '}
        <Link className="kern-link" to={`/knowledge/items/${encodeURIComponent(id)}?lang=${lang}`}>
          {tc('editor.readerView')}
        </Link>
      </p>
      <h1 className="kern-heading-large">{source.current?.title}</h1>
      <p className="kern-body">
        <span className="kern-badge kern-badge--info">{tc(`types.${v.item.type}`)}</span>{' '}
        <span className="kern-badge">{tc(`audience.${v.item.audience}`)}</span>
        {v.item.topic ? (
          <>
            {' '}
            <span className="kern-badge">{tc(`topics.${v.item.topic}`, { defaultValue: v.item.topic })}</span>
          </>
        ) : null}
      </p>
      <ItemSettings key={v.item.id} item={v.item} onSaved={view.reload} />
      <nav aria-label={tc('editor.translations')} className="fd-kb-tabs">
        <ul>
          {v.translations.map((t) => (
            <li key={t.language}>
              <button
                type="button"
                className={`kern-btn kern-btn--${t.language === lang ? 'primary' : 'secondary'}`}
                aria-current={t.language === lang ? 'true' : undefined}
                onClick={() => setParams({ lang: t.language })}
                data-testid={`kb-tab-${t.language}`}
              >
                <span className="kern-label">
                  {tc(`languages.${t.language}`)} · {tc(`status.${t.status}`)}
                  {t.outdated ? ` · ${tc('status.outdated')}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <label className="fd-kb-addlang">
          <span className="kern-label">{tc('editor.addTranslation')}</span>{' '}
          <select
            className="kern-form-input__select"
            data-testid="kb-add-language"
            value=""
            onChange={(e) => e.target.value && setParams({ lang: e.target.value })}
          >
            <option value="">—</option>
            {missing.map((l) => (
              <option key={l} value={l}>
                {tc(`languages.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </nav>
      <TextEditor
        key={`${lang}-${current?.current_revision ?? 0}`}
        view={v}
        lang={lang}
        translation={current}
        source={source}
        reload={view.reload}
        uiLanguage={uiLanguage}
      />
      {current ? <Attachments itemId={id} editLanguage={lang} /> : null}
    </section>
  );
}

/** "translations.ar.body" → "Arabisch – Text"; other fields as they are. */
function fieldLabel(field: string, tc: (key: string, options?: Record<string, unknown>) => string): string {
  const m = /^translations\.([a-z]+)\.(title|body)$/.exec(field);
  if (m) return `${tc(`languages.${m[1]}`)} – ${tc(`fields.${m[2]}`)}`;
  const tag = /^tags\[(\d+)\]$/.exec(field);
  if (tag) return `${tc('fields.tags')} ${Number(tag[1]) + 1}`;
  const file = /^attachments\[(\d+)\](?:\.(filename|text))?$/.exec(field);
  if (file) return tc(`attachments.field.${file[2] ?? 'file'}`, { n: Number(file[1]) + 1 });
  if (field === 'images_checked') return tc('attachments.field.images');
  return field;
}

function TextEditor({
  view,
  lang,
  translation,
  source,
  reload,
  uiLanguage,
}: {
  view: EditorView;
  lang: string;
  translation: Translation | undefined;
  source: Translation;
  reload: () => void;
  uiLanguage: string;
}) {
  const { tc } = useKnowledgeTranslation();
  const user = useUser();
  const isSource = lang === view.item.source_language;
  const [title, setTitle] = useState(translation?.current?.title ?? '');
  const [body, setBody] = useState(translation?.current?.body ?? '');
  const [note, setNote] = useState('');
  const [major, setMajor] = useState(true);
  const [when, setWhen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [compare, setCompare] = useState<DiffView | null>(null);
  useEffect(() => setCompare(null), [lang]);
  const errors = error instanceof ApiError ? error.fieldErrors() : {};
  const id = view.item.id;
  const dir = RTL.has(lang) ? 'rtl' : 'ltr';

  const run = (what: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    action().then(
      () => {
        setBusy(false);
        setDone(what);
        reload();
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  const rev = translation?.current_revision ?? 0;
  const authoredByMe = translation?.revisions.some((r) => r.number > (translation.published_revision ?? 0) && r.author === user.id);

  return (
    <div className="fd-kb-text">
      {translation?.outdated ? (
        <Alert tone="warning" title={tc('editor.outdatedTitle')}>
          <span data-testid="kb-outdated">{tc('editor.outdatedText', { from: translation.source_revision, now: source.current_revision })}</span>
        </Alert>
      ) : null}
      {translation ? (
        <p className="kern-body" data-testid="kb-status">
          {tc('editor.statusLine', {
            status: tc(`status.${translation.status}`),
            revision: translation.current_revision,
            published: translation.published_revision ?? '—',
          })}
          {translation.publish_on ? ` · ${tc('editor.scheduled', { date: translation.publish_on })}` : ''}
        </p>
      ) : (
        <p className="kern-body">{tc('editor.newTranslation', { language: tc(`languages.${lang}`) })}</p>
      )}
      <div className={isSource ? '' : 'fd-kb-sidebyside'}>
        {!isSource ? (
          <div className="fd-kb-source" lang={source.language} dir={RTL.has(source.language) ? 'rtl' : 'ltr'}>
            <h2 className="kern-heading-small">{tc('editor.sourceText', { revision: source.current_revision })}</h2>
            <p className="kern-body">
              <strong>{source.current?.title}</strong>
            </p>
            <pre className="fd-kb-pre">{source.current?.body}</pre>
          </div>
        ) : null}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            run('saved', () =>
              saveText(id, lang, {
                ...(translation ? { base_revision: rev } : {}),
                title,
                body,
                note,
                major,
                ...(isSource ? {} : { source_revision: source.current_revision }),
              }),
            );
          }}
        >
          <div className={`kern-form-input${errors.title ? ' kern-form-input--error' : ''}`}>
            <label className="kern-label" htmlFor="kb-title">
              {tc('fields.title')}
            </label>
            <input id="kb-title" className="kern-form-input__input" dir={dir} value={title} onChange={(e) => setTitle(e.target.value)} />
            {errors.title ? <p className="kern-error">{serverFieldText(errors.title)}</p> : null}
          </div>
          <div className={`kern-form-input${errors.body ? ' kern-form-input--error' : ''}`}>
            <label className="kern-label" htmlFor="kb-body">
              {tc('fields.body')}
            </label>
            <div className="kern-hint" id="kb-body-hint">
              {tc('fields.bodyHint')}
            </div>
            <textarea
              id="kb-body"
              className="kern-form-input__input fd-kb-textarea"
              dir={dir}
              rows={14}
              value={body}
              aria-describedby="kb-body-hint"
              onChange={(e) => setBody(e.target.value)}
            />
            {errors.body ? (
              <p className="kern-error" role="alert" data-testid="kb-body-error">
                {serverFieldText(errors.body)}
              </p>
            ) : null}
          </div>
          <FigureTools textareaId="kb-body" language={lang} type={view.item.type} body={body} onBody={setBody} />
          <div className="kern-form-input">
            <label className="kern-label" htmlFor="kb-note">
              {tc('fields.note')}
            </label>
            <input id="kb-note" className="kern-form-input__input" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          {isSource && translation ? (
            <div className="kern-form-check">
              <input id="kb-minor" type="checkbox" className="kern-form-check__checkbox" checked={!major} onChange={(e) => setMajor(!e.target.checked)} />
              <label className="kern-label" htmlFor="kb-minor">
                {tc('editor.minor')}
              </label>
            </div>
          ) : null}
          <div className="fd-kb-actions">
            <Button type="submit" busy={busy}>
              {tc('editor.save')}
            </Button>
            {translation?.status === 'draft' ? (
              <Button variant="secondary" busy={busy} onClick={() => run('submitted', () => step(id, lang, 'submit', rev))}>
                {tc('editor.submit')}
              </Button>
            ) : null}
            {translation?.status === 'in_review' && !translation.publish_on ? (
              <>
                <Button
                  variant="secondary"
                  busy={busy}
                  onClick={() => run(when ? 'scheduled' : 'published', () => step(id, lang, 'publish', rev, when ? { publish_on: when } : {}))}
                >
                  {tc('editor.publish')}
                </Button>
                <Button variant="tertiary" busy={busy} onClick={() => run('rejected', () => step(id, lang, 'reject', rev))}>
                  {tc('editor.reject')}
                </Button>
              </>
            ) : null}
            {translation && translation.status !== 'archived' ? (
              <Button variant="tertiary" busy={busy} onClick={() => run(when ? 'archiveScheduled' : 'archived', () => archive(id, lang, when || undefined))}>
                {tc('editor.archive')}
              </Button>
            ) : null}
          </div>
          {translation && translation.status !== 'archived' ? (
            <TextField
              id="kb-when"
              type="date"
              label={tc('editor.when')}
              hint={tc('editor.whenHint')}
              value={when}
              onChange={(e) => setWhen(e.target.value)}
            />
          ) : null}
          {translation?.status === 'in_review' && authoredByMe ? (
            <p className="kern-body kern-body--small">{tc('editor.fourEyes')}</p>
          ) : null}
        </form>
      </div>
      {done ? (
        <p className="kern-body" role="status" data-testid="kb-done">
          {tc(`editor.done.${done}`)}
        </p>
      ) : null}
      {error ? (
        error instanceof ApiError && error.status === 409 ? (
          <Alert tone="danger" title={tc('editor.conflictTitle')} role="alert">
            <span data-testid="kb-conflict">{serverDetailText(error.problem?.detail)}</span>
          </Alert>
        ) : error instanceof ApiError && error.status === 403 ? (
          <Alert tone="danger" title={tc('editor.forbiddenTitle')} role="alert">
            <span data-testid="kb-forbidden">{serverDetailText(error.problem?.detail)}</span>
          </Alert>
        ) : error instanceof ApiError && (error.problem?.errors ?? []).some((e) => e.field !== 'title' && e.field !== 'body') ? (
          <Alert tone="danger" title={tc('editor.notDoneTitle')} role="alert">
            <p className="kern-body">{serverDetailText(error.problem?.detail)}</p>
            <ul data-testid="kb-field-errors">
              {(error.problem?.errors ?? []).map((e) => (
                <li key={e.field}>
                  {fieldLabel(e.field, tc)}: {serverFieldText(e.message)}
                </li>
              ))}
            </ul>
          </Alert>
        ) : Object.keys(errors).length ? null : (
          <ErrorMessage error={error} />
        )
      ) : null}
      {translation?.revisions.length ? (
        <section aria-labelledby="kb-revisions-heading">
          <h2 id="kb-revisions-heading" className="kern-heading-small">
            {tc('editor.revisions')}
          </h2>
          <table className="kern-table" data-testid="kb-revisions">
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                {['number', 'note', 'author', 'date', 'actions'].map((c) => (
                  <th key={c} scope="col" className="kern-table__header">
                    {tc(`editor.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {translation.revisions.map((r) => (
                <tr key={r.number} className="kern-table__row">
                  <td className="kern-table__cell">
                    {r.number}
                    {r.number === translation.published_revision ? ` (${tc('status.published')})` : ''}
                    {r.major ? '' : ` (${tc('editor.minorShort')})`}
                  </td>
                  <td className="kern-table__cell">{r.note}</td>
                  <td className="kern-table__cell">{r.author === user.id ? tc('editor.you') : (r.author_name ?? r.author)}</td>
                  <td className="kern-table__cell">{new Date(r.created_at).toLocaleString(uiLanguage)}</td>
                  <td className="kern-table__cell">
                    {r.number !== rev ? (
                      <>
                        <button
                          type="button"
                          className="kern-btn kern-btn--tertiary"
                          onClick={() => diff(id, lang, r.number, rev).then(setCompare, setError)}
                        >
                          <span className="kern-label">{tc('editor.compare', { number: r.number })}</span>
                        </button>
                        <button
                          type="button"
                          className="kern-btn kern-btn--tertiary"
                          onClick={() => run('restored', () => restore(id, lang, r.number, rev))}
                        >
                          <span className="kern-label">{tc('editor.restore', { number: r.number })}</span>
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {compare ? (
        <section aria-labelledby="kb-diff-heading" data-testid="kb-diff">
          <h2 id="kb-diff-heading" className="kern-heading-small">
            {tc('editor.diffTitle', { from: compare.from, to: compare.to })}
          </h2>
          {compare.title_from !== compare.title_to ? (
            <p className="kern-body">
              <del>{compare.title_from}</del> → <ins>{compare.title_to}</ins>
            </p>
          ) : null}
          <div className="fd-kb-diff" dir={dir}>
            {compare.lines.map((l, i) =>
              l.op === 'added' ? (
                <ins key={i} className="fd-kb-diff-line">
                  + {l.text}
                </ins>
              ) : l.op === 'removed' ? (
                <del key={i} className="fd-kb-diff-line">
                  − {l.text}
                </del>
              ) : (
                <span key={i} className="fd-kb-diff-line">
                  {'  '}
                  {l.text}
                </span>
              ),
            )}
          </div>
        </section>
      ) : null}
    </div>
  );
}
