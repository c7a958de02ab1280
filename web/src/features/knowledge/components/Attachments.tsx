import { useRef, useState } from 'react';
import { Alert } from '../../../components/Alert';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { ApiError } from '../../../lib/api';
import { attachmentUrl, attachments, removeAttachment, uploadAttachment, useLoad, type Attachment } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';

function size(bytes: number, language: string): string {
  const kib = bytes / 1024;
  const format = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  return kib < 1024 ? `${format.format(Math.max(kib, 0.1))} KB` : `${format.format(kib / 1024)} MB`;
}

/**
 * An item's attachments. Readers get download links (the attachments of the translations they
 * may read); editors (`editLanguage` set) also upload to that translation and remove files.
 */
export function Attachments({ itemId, editLanguage }: { itemId: string; editLanguage?: string }) {
  const { tc, language } = useKnowledgeTranslation();
  const list = useLoad(`kb-attachments/${itemId}`, (signal) => attachments(itemId, signal));
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [imagesChecked, setImagesChecked] = useState(false);

  const items: Attachment[] = list.status === 'done' ? list.data : [];
  if (!editLanguage && !items.length) return null;

  async function upload(files: FileList | null) {
    if (!files?.length || !editLanguage) return;
    setError(null);
    setBusy(true);
    try {
      for (const f of Array.from(files)) await uploadAttachment(itemId, editLanguage, f, imagesChecked);
      if (input.current) input.current.value = '';
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="fd-kb-attachments" aria-labelledby={`kb-attachments-${itemId}`} data-testid="kb-attachments">
      <h2 id={`kb-attachments-${itemId}`} className="kern-heading-small">
        {tc('attachments.title')}
      </h2>
      {list.status === 'error' ? <ErrorMessage error={list.error} /> : null}
      {items.length ? (
        <ul>
          {items.map((a) => (
            <li key={a.id}>
              <a className="kern-link" href={attachmentUrl(a.id)} download={a.filename}>
                {a.filename}
              </a>{' '}
              <span className="kern-body kern-body--small">
                ({tc(`languages.${a.language}`)}, {size(a.size_bytes, language)})
              </span>
              {editLanguage ? (
                <>
                  {' '}
                  <button
                    type="button"
                    className="kern-btn kern-btn--tertiary"
                    aria-label={tc('attachments.remove', { name: a.filename })}
                    onClick={() => {
                      setError(null);
                      removeAttachment(a.id).then(() => list.reload(), setError);
                    }}
                  >
                    <span className="kern-label">{tc('attachments.removeShort')}</span>
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body">{tc('attachments.none')}</p>
      )}
      {editLanguage ? (
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={`kb-attach-${itemId}`}>
            {tc('attachments.add', { language: tc(`languages.${editLanguage}`) })}
          </label>
          <p className="kern-body kern-body--small">{tc('attachments.hint')}</p>
          <input
            id={`kb-attach-${itemId}`}
            ref={input}
            type="file"
            className="kern-form-input__input"
            accept=".pdf,.png,.jpg,.jpeg,.txt,.docx,.odt"
            disabled={busy}
            onChange={(e) => void upload(e.target.files)}
          />
          <div className="kern-form-check">
            <input
              id={`kb-images-checked-${itemId}`}
              type="checkbox"
              className="kern-form-check__checkbox"
              checked={imagesChecked}
              onChange={(e) => setImagesChecked(e.target.checked)}
            />
            <label className="kern-label" htmlFor={`kb-images-checked-${itemId}`}>
              {tc('attachments.imagesChecked')}
            </label>
          </div>
        </div>
      ) : null}
      {error instanceof ApiError && error.is('attachment-metadata') ? (
        <Alert tone="danger" role="alert" title={tc('attachments.metadataRefused.title')}>
          <p className="kern-body">{tc('attachments.metadataRefused.text')}</p>
        </Alert>
      ) : error instanceof ApiError && error.is('image-confirmation') ? (
        <Alert tone="danger" role="alert" title={tc('attachments.imageRefused.title')}>
          <p className="kern-body">{tc('attachments.imageRefused.text')}</p>
        </Alert>
      ) : error ? (
        <ErrorMessage error={error} />
      ) : null}
    </section>
  );
}
