/**
 * The two texts the app shell and the dashboard need for the audit section (`nav.audit`,
 * `sections.audit.description`). They live with the feature, not in the shared locale: they are
 * added to the shared `translation` namespace of each language right after the app's backend has
 * loaded it (adding them earlier would make i18next think the namespace is loaded and never ask
 * the backend). Imported once for its effect by the router.
 */
import { i18next } from '../../lib/i18n';

const TEXTS: Record<string, { nav: string; description: string }> = {
  de: {
    nav: 'Protokoll',
    description: 'Wer wann auf welche Fälle, Ratsuchenden und Dokumente zugegriffen hat – manipulationssicher verkettet.',
  },
  en: {
    nav: 'Audit trail',
    description: 'Who accessed which cases, clients and documents, and when – chained so that tampering shows.',
  },
};

function addTexts(language: string): void {
  const texts = TEXTS[language];
  if (!texts || !i18next.hasResourceBundle(language, 'translation')) return;
  if (i18next.getResource(language, 'translation', 'nav.audit') === undefined) {
    i18next.addResource(language, 'translation', 'nav.audit', texts.nav, { silent: true });
  }
  if (i18next.getResource(language, 'translation', 'sections.audit.description') === undefined) {
    i18next.addResource(language, 'translation', 'sections.audit.description', texts.description, { silent: true });
  }
}

i18next.on('loaded', (loaded: Record<string, unknown>) => {
  for (const language of Object.keys(loaded)) addTexts(language);
});
// In case a language was loaded before this module ran.
if (i18next.isInitialized) for (const language of Object.keys(TEXTS)) addTexts(language);
