import { snippetParts } from '../api/knowledge';

/** A search snippet with the matched words highlighted (<mark>), built without innerHTML. */
export function Snippet({ snippet }: { snippet: string }) {
  return (
    <>
      {snippetParts(snippet).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
