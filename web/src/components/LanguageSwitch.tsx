import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api';
import { useAuth, type User } from '../lib/auth';
import { changeLanguage, LANGUAGES, notePickedSignedOut, type Language } from '../lib/i18n';

/** Each language is named in itself, so that people find theirs whatever the UI shows. */
const ENDONYMS: Record<Language, string> = { de: 'Deutsch', en: 'English' };

/**
 * Switches the UI language. Signed in, the choice is kept on the server (`PATCH /api/v1/me`) so it
 * follows the person to other devices; otherwise it is kept in this browser.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { user, setUser } = useAuth();
  const [failed, setFailed] = useState(false);
  const current = i18n.language;

  async function choose(language: Language) {
    setFailed(false);
    await changeLanguage(language);
    // Chosen on the sign-in page: kept after signing in (the account's setting is updated then).
    if (!user) notePickedSignedOut(language);
    if (user) {
      try {
        const answer = await api.patch<{ user: User }>('/api/v1/me', { language });
        setUser(answer.user);
      } catch {
        setFailed(true);
      }
    }
  }

  return (
    <div className="fd-language" role="group" aria-label={t('language.label')}>
      <span className="kern-icon kern-icon--language" aria-hidden="true" />
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="fd-language__option"
          aria-pressed={current === language}
          onClick={() => void choose(language)}
        >
          {ENDONYMS[language]}
        </button>
      ))}
      {failed ? (
        <span className="fd-language__error" role="alert">
          {t('language.notSaved')}
        </span>
      ) : null}
    </div>
  );
}
