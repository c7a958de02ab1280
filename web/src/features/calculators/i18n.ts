/**
 * The feature's own translations, i18next namespace `calculators`, in locale files beside the
 * feature. They are separate chunks, fetched the first time a calculator page is shown, and
 * added with `addResourceBundle` for every language at once: `addResourceBundle` registers the
 * namespace with i18next, and a language without our bundle would then be asked of the app's
 * backend, which only knows the shared locale. We read the namespace with a fixed `t` and never
 * through `useTranslation('calculators')`, which would ask the backend too.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n, TFunction } from 'i18next';

export const NAMESPACE = 'calculators';

const loaders = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json');

let loading: Promise<void> | null = null;
let loaded = false;

function loadBundles(i18n: I18n): Promise<void> {
  loading ??= Promise.all(
    Object.entries(loaders).map(async ([path, load]) => {
      const language = /\/(\w+)\.json$/.exec(path)![1]!;
      const module = await load();
      i18n.addResourceBundle(language, NAMESPACE, module.default, true, true);
    }),
  ).then(
    () => {
      loaded = true;
    },
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/**
 * `tc` translates keys of this feature, `t` those of the shared locale; `ready` is false until
 * the feature's locales have been loaded.
 */
export function useCalculatorsTranslation(): {
  tc: TFunction;
  t: TFunction;
  language: string;
  ready: boolean;
  failed: boolean;
} {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [ready, setReady] = useState(loaded);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (ready) return;
    let cancelled = false;
    loadBundles(i18n).then(
      () => !cancelled && setReady(true),
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
    };
  }, [i18n, ready]);

  const tc = useMemo(() => i18n.getFixedT(language, NAMESPACE), [i18n, language, ready]);
  return { tc, t, language, ready, failed };
}
