import { useState, type FormEvent } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { ApiError } from '../../../lib/api';
import { updateItem, type Item } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';
import { serverDetailText, serverFieldText } from '../serverText';
import { ItemFields, type ItemFieldValues } from './ItemFields';


/**
 * An item's properties after creation (type, topic, tags, audience, review date): `PATCH
 * /api/v1/knowledge/items/{id}` with the version read (409 when someone changed it meanwhile).
 * Making an internal item public cleans its attachments of metadata on the server and needs the
 * editor's confirmation that its images show no personal data.
 */
export function ItemSettings({ item, onSaved }: { item: Item; onSaved: () => void }) {
  const { tc } = useKnowledgeTranslation();
  const initial: ItemFieldValues = {
    type: item.type,
    topic: item.topic ?? '',
    audience: item.audience,
    tags: item.tags.join(', '),
    review_date: item.review_date ?? '',
  };
  const [form, setForm] = useState(initial);
  const [imagesChecked, setImagesChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const errors = error instanceof ApiError ? error.fieldErrors() : {};
  const set = (k: keyof ItemFieldValues) => (e: { target: { value: string } }) => {
    setSaved(false);
    setForm({ ...form, [k]: e.target.value });
  };
  const goesPublic = item.audience !== 'public' && form.audience === 'public';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    updateItem(item.id, {
      version: item.version,
      type: form.type,
      topic: form.topic,
      audience: form.audience,
      tags: form.tags.split(',').map((t) => t.trim()).filter(Boolean),
      ...(form.review_date !== initial.review_date ? { review_date: form.review_date || null } : {}),
      ...(goesPublic ? { images_checked: imagesChecked } : {}),
    }).then(
      () => {
        setBusy(false);
        setSaved(true);
        onSaved();
      },
      (err: unknown) => {
        setError(err);
        setBusy(false);
      },
    );
  };

  const other = Object.entries(errors).filter(([f]) => !['type', 'topic', 'audience', 'tags', 'review_date'].includes(f));
  return (
    <details className="fd-kb-settings" data-testid="kb-settings">
      <summary className="kern-label">{tc('settings.title')}</summary>
      <form onSubmit={submit} noValidate>
        <ItemFields
          idPrefix="kb-set"
          values={form}
          onChange={set}
          errors={errors}
          afterAudience={
            goesPublic ? (
              <>
                <p className="kern-body kern-body--small">{tc('settings.publicHint')}</p>
                <div className="kern-form-check">
                  <input
                    id="kb-set-images"
                    type="checkbox"
                    className="kern-form-check__checkbox"
                    checked={imagesChecked}
                    onChange={(e) => setImagesChecked(e.target.checked)}
                  />
                  <label className="kern-label" htmlFor="kb-set-images">
                    {tc('attachments.imagesChecked')}
                  </label>
                </div>
              </>
            ) : null
          }
        />
        {error instanceof ApiError && (other.length || !Object.keys(errors).length) ? (
          <Alert tone="danger" role="alert" title={tc('settings.refused')}>
            <p className="kern-body">{serverDetailText(error.problem?.detail ?? undefined)}</p>
            {other.length ? (
              <ul>
                {other.map(([f, m]) => (
                  <li key={f} className="kern-body">
                    {f === 'images_checked' ? tc('attachments.field.images') : /^attachments\[(\d+)\]$/.test(f) ? tc('attachments.field.file', { n: Number(/\d+/.exec(f)![0]) + 1 }) : f}
                    : {serverFieldText(m)}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : error && !(error instanceof ApiError) ? (
          <ErrorMessage error={error} />
        ) : null}
        {saved ? (
          <p className="kern-body" role="status">
            {tc('settings.saved')}
          </p>
        ) : null}
        <Button type="submit" variant="secondary" busy={busy}>
          {tc('settings.save')}
        </Button>
      </form>
    </details>
  );
}
