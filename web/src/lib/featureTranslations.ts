/**
 * A feature's own translations: an i18next namespace named after the feature, in locale files
 * beside it (`features/<domain>/locales/<language>.json`). They are separate chunks, fetched the
 * first time a page of the feature is shown, and added with `addResourceBundle` for every
 * language at once: `addResourceBundle` registers the namespace with i18next, and a language
 * without our bundle would then be asked of the app's backend, which only knows the shared
 * locale. We read the namespace with a fixed `t` and never through `useTranslation(namespace)`,
 * which would ask the backend too.
 *
 * Each feature keeps its own `import.meta.glob('./locales/*.json')` call, because Vite resolves
 * the pattern relative to the file that contains it, and passes the loaders in here.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n, TFunction } from 'i18next';
import { reloadIfUpgraded } from './appVersion';

/** What `import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json')` returns. */
export type LocaleLoaders = Record<string, () => Promise<{ default: Record<string, unknown> }>>;

export interface FeatureTranslation {
  /** Keys of this feature. */
  tc: TFunction;
  /** Keys of the shared locale. */
  t: TFunction;
  language: string;
  /** False until the feature's locales have been loaded. */
  ready: boolean;
  failed: boolean;
}

/** The hook that loads the feature's locales once and translates its namespace. */
export function createFeatureTranslation(namespace: string, loaders: LocaleLoaders): () => FeatureTranslation {
  let loading: Promise<void> | null = null;
  let loaded = false;

  function loadBundles(i18n: I18n): Promise<void> {
    loading ??= Promise.all(
      Object.entries(loaders).map(async ([path, load]) => {
        const language = /\/(\w+)\.json$/.exec(path)![1]!;
        const module = await load();
        i18n.addResourceBundle(language, namespace, module.default, true, true);
      }),
    ).then(
      () => {
        loaded = true;
      },
      async (error: unknown) => {
        loading = null;
        // A tab from before an upgrade asks for chunk names the server no longer has.
        if (await reloadIfUpgraded()) return new Promise<void>(() => {});
        throw error;
      },
    );
    return loading;
  }

  return function useFeatureTranslation(): FeatureTranslation {
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

    // `ready` is a dependency on purpose: the fixed `t` is made again once the bundles are in.
    const tc = useMemo(() => i18n.getFixedT(language, namespace), [i18n, language, ready]);
    return { tc, t, language, ready, failed };
  };
}
