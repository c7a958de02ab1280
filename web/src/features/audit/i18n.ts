/**
 * The feature's own translations, i18next namespace `audit`, in locale files beside the feature
 * (the scheme of the calculators and cases features): separate chunks, fetched the first time a
 * page of the feature is shown and added for every language at once with `addResourceBundle`.
 * The namespace is read with a fixed `t`, never through `useTranslation('audit')`, which would
 * ask the app's backend (it only knows the shared locale).
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n, TFunction } from 'i18next';

export const NAMESPACE = 'audit';

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

export interface AuditTranslation {
  /** Keys of this feature. */
  tc: TFunction;
  /** Keys of the shared locale. */
  t: TFunction;
  language: string;
  ready: boolean;
  failed: boolean;
}

export function useAuditTranslation(): AuditTranslation {
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
