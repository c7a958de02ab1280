import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loaded } from '../../../components/Loaded';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import {
  getLegal,
  LEGAL_PAGES,
  listLegal,
  PORTAL_LANGUAGES,
  putLegal,
  resetLegal,
  useLoad,
  type LegalText,
} from '../api/admin';
import { serverMessage } from '../form';
import { useAdminTranslation, type AdminTranslation } from '../i18n';
import { AdminTable } from './AdminTable';
import { TextArea } from './TextArea';

const languageName = (code: string) => PORTAL_LANGUAGES.find(([c]) => c === code)?.[1] ?? code;

/**
 * `/admin/legal` (admins): the public portal's legal pages (imprint, privacy notice,
 * accessibility statement) per portal language. The page and language are in the address
 * (`?page=imprint&lang=ar`), the editor shows the text the portal shows now (an admin's, else the
 * default, else German), and the overview which pages were edited. The server audits each save
 * and reset; the staff app's footer and every portal page link the pages.
 */
export function LegalPagesPage() {
  const tr = useAdminTranslation();
  const { tc } = tr;
  const [params, setParams] = useSearchParams();
  const page = LEGAL_PAGES.find((p) => p === params.get('page')) ?? 'imprint';
  const lang = PORTAL_LANGUAGES.find(([c]) => c === params.get('lang'))?.[0] ?? 'de';
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const choose = (next: { page?: string; lang?: string }) => {
    setNotice(null);
    setParams({ page: next.page ?? page, lang: next.lang ?? lang }, { replace: true });
  };
  const title = tc('legal.title');
  return (
    <section className="fd-page" data-testid="page-admin-legal">
      <PageHeading title={title} lead={tc('legal.lead')}>
        {title}
      </PageHeading>
      <div className="fd-admin-legal__choice">
        <SelectField label={tc('legal.page')} value={page} onChange={(e) => choose({ page: e.target.value })}>
          {LEGAL_PAGES.map((p) => (
            <option key={p} value={p}>
              {tc(`legal.pages.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={tc('legal.language')} value={lang} onChange={(e) => choose({ lang: e.target.value })}>
          {PORTAL_LANGUAGES.map(([code, name]) => (
            <option key={code} value={code} lang={code}>
              {name}
            </option>
          ))}
        </SelectField>
      </div>
      {notice ? <Alert tone="success" role="status" title={notice} headingLevel={2} /> : null}
      <Editor
        key={`${page}-${lang}-${version}`}
        tr={tr}
        page={page}
        lang={lang}
        onChanged={(message) => {
          setVersion((n) => n + 1);
          setNotice(message);
        }}
      />
      <Overview tr={tr} version={version} onChoose={choose} />
    </section>
  );
}

type Changed = (message: string) => void;

function Editor({ tr, page, lang, onChanged }: { tr: AdminTranslation; page: string; lang: string; onChanged: Changed }) {
  const loaded = useLoad(`legal-${page}-${lang}`, (signal) => getLegal(page, lang, signal));
  return <Loaded value={loaded}>{(data) => <EditorForm tr={tr} initial={data} onChanged={onChanged} />}</Loaded>;
}

function EditorForm({ tr, initial, onChanged }: { tr: AdminTranslation; initial: LegalText; onChanged: Changed }) {
  const { tc, language } = tr;
  const id = useId();
  const [title, setTitle] = useState(initial.title);
  const [body, setBody] = useState(initial.body);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { page, lang } = initial;
  const titleError = touched && !title.trim() ? tc('legal.required') : null;
  const bodyError = touched && !body.trim() ? tc('legal.required') : null;
  const fieldError = (field: string) =>
    error instanceof ApiError && error.status === 422
      ? error.problem?.errors?.filter((e) => e.field === field).map((e) => serverMessage(e.message, tc))[0] ?? null
      : null;
  const act = async (action: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // The page shows the notice and remounts the editor with the server's new state.
      onChanged(await action());
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const status = initial.custom
    ? tc('legal.custom', { date: initial.updated_at ? new Date(initial.updated_at).toLocaleDateString(language) : '—' })
    : initial.shown_lang === lang
      ? tc('legal.default')
      : tc('legal.germanDefault', { language: languageName(lang) });
  return (
    <form
      className="fd-form fd-admin-form"
      noValidate
      aria-labelledby={`${id}-h`}
      data-testid="legal-editor"
      onSubmit={(event) => {
        event.preventDefault();
        setTouched(true);
        if (!title.trim() || !body.trim()) return;
        void act(async () => {
          await putLegal(page, lang, { title, body });
          return tc('legal.saved');
        });
      }}
    >
      <h2 className="kern-heading-medium" id={`${id}-h`}>
        {tc('legal.editing', { page: tc(`legal.pages.${page}`), language: languageName(lang) })}
      </h2>
      <p className="kern-body" data-testid="legal-status">
        {status}{' '}
        <a className="kern-link" href={`/${lang}/${page}`} target="_blank" rel="noopener">
          {tc('legal.view')}
        </a>
      </p>
      <TextField
        label={tc('legal.heading')}
        value={title}
        maxLength={200}
        lang={initial.shown_lang}
        dir="auto"
        error={titleError ?? fieldError('title')}
        onChange={(e) => setTitle(e.target.value)}
      />
      <TextArea
        id={`${id}-body`}
        label={tc('legal.body')}
        hint={tc('legal.bodyHint')}
        value={body}
        rows={16}
        maxLength={50000}
        lang={initial.shown_lang}
        dir="auto"
        error={bodyError ?? fieldError('body') ?? undefined}
        onChange={(e) => setBody(e.target.value)}
      />
      {error && !(error instanceof ApiError && error.status === 422) ? <ErrorMessage error={error} /> : null}
      <div className="fd-actions">
        <Button type="submit" busy={busy}>
          {tc('legal.save')}
        </Button>
        {initial.custom ? (
          <Button
            variant="secondary"
            busy={busy}
            onClick={() =>
              void act(async () => {
                await resetLegal(page, lang);
                return tc('legal.resetDone');
              })
            }
          >
            {tc('legal.reset')}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function Overview({ tr, version, onChoose }: { tr: AdminTranslation; version: number; onChoose: (c: { page: string; lang: string }) => void }) {
  const { tc, language } = tr;
  const id = useId();
  const loaded = useLoad(`legal-list-${version}`, listLegal);
  return (
    <section aria-labelledby={`${id}-h`} className="fd-admin-settings__section">
      <h2 className="kern-heading-medium" id={`${id}-h`}>
        {tc('legal.overview')}
      </h2>
      <Loaded value={loaded}>
        {(data) => (
          <AdminTable
            caption={tc('legal.overview')}
            testId="legal-overview"
            columns={[tc('legal.language'), ...LEGAL_PAGES.map((p) => tc(`legal.pages.${p}`))]}
          >
            {PORTAL_LANGUAGES.map(([code, name]) => (
              <tr key={code} className="kern-table__row">
                <th scope="row" className="kern-table__cell" lang={code}>
                  {name}
                </th>
                {LEGAL_PAGES.map((p) => {
                  const entry = data.find((e) => e.page === p && e.lang === code);
                  const state = entry?.custom
                    ? tc('legal.editedOn', { date: entry.updated_at ? new Date(entry.updated_at).toLocaleDateString(language) : '—' })
                    : tc('legal.notEdited');
                  return (
                    <td key={p} className="kern-table__cell" data-testid={`legal-${p}-${code}`} data-custom={entry?.custom ? 'yes' : 'no'}>
                      <button type="button" className="kern-link fd-admin-legal__edit" onClick={() => onChoose({ page: p, lang: code })}>
                        <span className="kern-sr-only">{tc('legal.editNamed', { page: tc(`legal.pages.${p}`), language: name })} </span>
                        {state}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </AdminTable>
        )}
      </Loaded>
    </section>
  );
}
