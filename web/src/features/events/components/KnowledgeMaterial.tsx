import { useEffect, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/Button';
import { TextField } from '../../../components/Field';
import { materialTitle, searchMaterial, type MaterialHit } from '../api/events';

type Tc = (key: string, options?: Record<string, unknown>) => string;

/** Titles of linked knowledge items in the reader's language (null: not visible to the reader). */
function useTitles(ids: string[], language: string): Record<string, string | null | undefined> {
  const [titles, setTitles] = useState<Record<string, string | null>>({});
  const key = ids.join(',');
  useEffect(() => {
    const controller = new AbortController();
    for (const id of ids) {
      materialTitle(id, language, controller.signal).then(
        (title) => !controller.signal.aborted && setTitles((t) => ({ ...t, [id]: title })),
        () => !controller.signal.aborted && setTitles((t) => ({ ...t, [id]: null })),
      );
    }
    return () => controller.abort();
  }, [key, language]);
  return titles;
}

function Title({ id, title, tc }: { id: string; title: string | null | undefined; tc: Tc }) {
  if (title === undefined) return <span>{tc('material.loading')}</span>;
  if (title === null) return <span>{tc('material.unavailable')}</span>;
  return (
    <Link className="kern-link" to={`/knowledge/items/${encodeURIComponent(id)}`}>
      {title}
    </Link>
  );
}

/** The event page's list of linked material (links into the knowledge base). */
export function LinkedMaterial({ ids, language, tc }: { ids: string[]; language: string; tc: Tc }) {
  const titles = useTitles(ids, language);
  if (!ids.length) return null;
  return (
    <>
      <dt>{tc('material.title')}</dt>
      <dd>
        <ul data-testid="event-material">
          {ids.map((id) => (
            <li key={id}>
              <Title id={id} title={titles[id]} tc={tc} />
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

/** The organiser's form part: search the knowledge base, link and unlink items. */
export function MaterialPicker({ value, onChange, language, tc, error }: { value: string[]; onChange: (ids: string[]) => void; language: string; tc: Tc; error?: string }) {
  const titles = useTitles(value, language);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<MaterialHit[] | null>(null);
  const [failed, setFailed] = useState(false);

  const run = () => {
    if (!query.trim()) return;
    setFailed(false);
    searchMaterial(query.trim(), language).then(setHits, () => setFailed(true));
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter searches instead of sending the event form.
    if (event.key === 'Enter') {
      event.preventDefault();
      run();
    }
  };

  return (
    <fieldset className="kern-fieldset" data-testid="material-picker">
      <legend className="kern-label">{tc('material.title')}</legend>
      <p className="kern-hint">{tc('material.hint')}</p>
      {value.length ? (
        <ul data-testid="material-linked">
          {value.map((id) => (
            <li key={id} className="fd-ev-material">
              <Title id={id} title={titles[id]} tc={tc} />{' '}
              <Button variant="tertiary" onClick={() => onChange(value.filter((x) => x !== id))}>
                {tc('material.remove', { title: titles[id] ?? id })}
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body">{tc('material.none')}</p>
      )}
      {error ? <p className="kern-error" role="alert">{error}</p> : null}
      <TextField id="ev-material-q" type="search" label={tc('material.search')} value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={onKey} />
      <Button variant="secondary" onClick={run}>
        {tc('material.searchButton')}
      </Button>
      {failed ? <p className="kern-error" role="alert">{tc('material.failed')}</p> : null}
      {hits ? (
        <div role="status">
          {hits.length ? (
            <ul data-testid="material-hits">
              {hits.map((h) => (
                <li key={h.id} className="fd-ev-material">
                  <span lang={h.language}>{h.title}</span>{' '}
                  {value.includes(h.id) ? (
                    <span className="kern-badge">{tc('material.linked')}</span>
                  ) : (
                    <Button variant="tertiary" onClick={() => onChange([...value, h.id])}>
                      {tc('material.add', { title: h.title })}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="kern-body">{tc('material.noHits')}</p>
          )}
        </div>
      ) : null}
    </fieldset>
  );
}
