import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../../../lib/api';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { createItem } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';
import { serverFieldText } from '../serverText';
import { FigureTools } from './FigureTools';
import { ItemFields } from './ItemFields';
import '../knowledge.css';


/** `/knowledge/new`: a new item with its German source text as the first draft. */
export function NewItemPage() {
  const tr = useKnowledgeTranslation();
  const { tc } = tr;
  const navigate = useNavigate();
  const [form, setForm] = useState({ type: 'dossier', topic: '', audience: 'internal', tags: '', review_date: '', title: '', body: '', note: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;
  const errors = error instanceof ApiError ? error.fieldErrors() : {};
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    createItem({
      type: form.type,
      ...(form.topic ? { topic: form.topic } : {}),
      audience: form.audience,
      tags: form.tags.split(',').map((t) => t.trim()).filter(Boolean),
      ...(form.review_date ? { review_date: form.review_date } : {}),
      title: form.title,
      body: form.body,
      note: form.note,
    }).then(
      (v) => navigate(`/knowledge/edit/${encodeURIComponent(v.item.id)}`),
      (err: unknown) => {
        setError(err);
        setBusy(false);
      },
    );
  };

  return (
    <section className="fd-page" data-testid="page-knowledge-new">
      <PageHeading title={tc('editor.new')}>{tc('editor.new')}</PageHeading>
      <form onSubmit={submit} noValidate>
        <ItemFields idPrefix="kb-new" values={form} onChange={set} errors={errors} />
        <TextField id="kb-new-title" label={tc('fields.title')} value={form.title} onChange={set('title')} error={errors.title ? serverFieldText(errors.title) : undefined} />
        <div className={`kern-form-input${errors.body ? ' kern-form-input--error' : ''}`}>
          <label className="kern-label" htmlFor="kb-new-body">
            {tc('fields.body')}
          </label>
          <div className="kern-hint" id="kb-new-body-hint">
            {tc('fields.bodyHint')}
          </div>
          <textarea id="kb-new-body" className="kern-form-input__input fd-kb-textarea" rows={14} value={form.body} onChange={set('body')} aria-describedby="kb-new-body-hint" />
          {errors.body ? (
            <p className="kern-error" role="alert">
              <span className="kern-body">{serverFieldText(errors.body)}</span>
            </p>
          ) : null}
        </div>
        <FigureTools textareaId="kb-new-body" language="de" type={form.type} body={form.body} onBody={(body) => setForm({ ...form, body })} />
        <TextField id="kb-new-note" label={tc('fields.note')} value={form.note} onChange={set('note')} error={errors.note} />
        {error && !Object.keys(errors).length ? <ErrorMessage error={error} /> : null}
        <Button type="submit" busy={busy}>
          {tc('editor.create')}
        </Button>
      </form>
    </section>
  );
}
