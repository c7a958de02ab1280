import { useCallback, useEffect, useState } from 'react';

/** What a page knows of data it loads: still loading, failed (with why), or there. */
export type Loadable<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'done'; data: T };

/**
 * Runs `load` whenever `key` changes (and on `reload()`), aborting the previous request; does
 * nothing while `enabled` is false. Keeps the last data while reloading so that the page does not
 * flicker.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>, enabled = true): Loadable<T> & { reload: () => void } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setState((previous) => (previous.status === 'done' && attempt > 0 ? previous : { status: 'loading' }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ status: 'done', data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure on every render; `key` names what it loads.
  }, [key, attempt, enabled]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
