/**
 * The texts the app shell and the dashboard need for the knowledge section (`nav.knowledge`,
 * `sections.knowledge.description`), added to the shared namespace once the app's backend has
 * loaded it (see features/audit/shellTexts.ts for why). Imported once for its effect by the router.
 */
import { i18next } from '../../lib/i18n';

const TEXTS: Record<string, { nav: string; description: string }> = {
  de: { nav: 'Wissen', description: 'Dossiers, Fallbeschreibungen, Checklisten und Musterschreiben der Fachstelle, in vielen Sprachen durchsuchbar.' },
  en: { nav: 'Knowledge', description: 'Dossiers, case descriptions, checklists and letter templates of the Fachstelle Faire Integration, searchable in many languages.' },
};

function addTexts(language: string): void {
  const texts = TEXTS[language];
  if (!texts || !i18next.hasResourceBundle(language, 'translation')) return;
  if (i18next.getResource(language, 'translation', 'nav.knowledge') === undefined) {
    i18next.addResource(language, 'translation', 'nav.knowledge', texts.nav, { silent: true });
  }
  if (i18next.getResource(language, 'translation', 'sections.knowledge.description') === undefined) {
    i18next.addResource(language, 'translation', 'sections.knowledge.description', texts.description, { silent: true });
  }
}

i18next.on('loaded', (loaded: Record<string, unknown>) => {
  for (const language of Object.keys(loaded)) addTexts(language);
});
if (i18next.isInitialized) for (const language of Object.keys(TEXTS)) addTexts(language);
