import { useState } from 'react';
import { Button } from '../../../components/Button';
import { ApiError } from '../../../lib/api';
import { FIGURE_PARTS, RTL, figurePlaceholder, figures, insertAt, preview, useLoad } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';
import { serverFieldText } from '../serverText';

/**
 * Under a body's text area: insert a live legal figure (`{{minimum_wage}}`, resolved from the
 * labour-law tables whenever the item is read) at the cursor, from a list with today's values in
 * the text's language, and a preview of the body rendered by the server as readers will see it.
 */
export function FigureTools({
  textareaId,
  language,
  type,
  body,
  onBody,
}: {
  textareaId: string;
  /** the language of the text (figures are written as it writes numbers and dates) */
  language: string;
  type: string;
  body: string;
  onBody: (body: string) => void;
}) {
  const { tc } = useKnowledgeTranslation();
  const list = useLoad(`kb-figures/${language}`, (signal) => figures(language, signal));
  const [name, setName] = useState('');
  const [part, setPart] = useState<(typeof FIGURE_PARTS)[number]>('');
  const [html, setHtml] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = list.status === 'done' ? list.data : [];
  const chosen = items.find((f) => f.name === name) ?? items[0];
  const dir = RTL.has(language) ? 'rtl' : 'ltr';

  const insert = () => {
    if (!chosen) return;
    const area = document.getElementById(textareaId) as HTMLTextAreaElement | null;
    const start = area?.selectionStart ?? body.length;
    const end = area?.selectionEnd ?? body.length;
    const next = insertAt(body, start, end, figurePlaceholder(chosen.name, part));
    onBody(next.text);
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(next.caret, next.caret);
    });
  };

  const show = () => {
    setBusy(true);
    setProblem(null);
    preview(language, type, body).then(
      (h) => {
        setHtml(h);
        setBusy(false);
      },
      (err: unknown) => {
        setHtml(null);
        setBusy(false);
        const field = err instanceof ApiError ? err.fieldErrors().body : undefined;
        setProblem(field ? serverFieldText(field) : tc('figures.previewFailed'));
      },
    );
  };

  return (
    <div className="fd-kb-figures">
      <fieldset className="kern-fieldset">
        <legend className="kern-label">{tc('figures.legend')}</legend>
        <p className="kern-hint" id={`${textareaId}-figures-hint`}>
          {tc('figures.hint')}
        </p>
        <div className="fd-kb-figures-row">
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`${textareaId}-figure`}>
              {tc('figures.figure')}
            </label>
            <select
              id={`${textareaId}-figure`}
              className="kern-form-input__select"
              data-testid="kb-figure"
              value={chosen?.name ?? ''}
              aria-describedby={`${textareaId}-figures-hint`}
              onChange={(e) => setName(e.target.value)}
            >
              {items.map((f) => (
                <option key={f.name} value={f.name}>
                  {tc(`figures.names.${f.name}`, { defaultValue: f.name })}: {f.text}
                </option>
              ))}
            </select>
          </div>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`${textareaId}-figure-part`}>
              {tc('figures.part')}
            </label>
            <select
              id={`${textareaId}-figure-part`}
              className="kern-form-input__select"
              value={part}
              onChange={(e) => setPart(e.target.value as (typeof FIGURE_PARTS)[number])}
            >
              {FIGURE_PARTS.map((p) => (
                <option key={p} value={p}>
                  {tc(`figures.parts.${p || 'both'}`)}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary" onClick={insert} disabled={!chosen} data-testid="kb-figure-insert">
            {tc('figures.insert')}
          </Button>
        </div>
        {chosen ? (
          <p className="kern-body kern-body--small" data-testid="kb-figure-source">
            {tc('figures.source', { source: chosen.source, placeholder: figurePlaceholder(chosen.name, part) })}
          </p>
        ) : null}
      </fieldset>
      <Button variant="tertiary" busy={busy} onClick={show} data-testid="kb-preview-button">
        {tc('figures.preview')}
      </Button>
      {problem ? (
        <p className="kern-error" role="alert" data-testid="kb-preview-error">
          {problem}
        </p>
      ) : null}
      {html !== null ? (
        <section aria-labelledby={`${textareaId}-preview-heading`} className="fd-kb-preview" data-testid="kb-preview">
          <h2 id={`${textareaId}-preview-heading`} className="kern-heading-small">
            {tc('figures.previewTitle')}
          </h2>
          {/* Sanitised on the server (cmark-gfm safe mode, no raw HTML). */}
          <div className="fd-kb-body kern-body" lang={language} dir={dir} dangerouslySetInnerHTML={{ __html: html }} />
        </section>
      ) : null}
    </div>
  );
}
