import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { isPostcode, languageName, sortByName } from '../../../lib/format';
import { STATES, useCentres, type StateCode } from '../api/get-centres';
import { CORE_LANGUAGES, filtersFromParams, groupByState, paramsFromFilters } from '../filters';
import { CentreCard } from './CentreCard';

/** The directory of advice centres, filtered by state, language and postcode (kept in the URL). */
export function DirectoryPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const result = useCentres(filters);

  const [state, setState] = useState(filters.state);
  const [language, setLanguage] = useState(filters.language);
  const [postcode, setPostcode] = useState(filters.postcode);
  const [postcodeError, setPostcodeError] = useState<string | null>(null);
  const [shownFilters, setShownFilters] = useState(filters);

  // When the URL changes from outside the form (back button, a link), show its filters.
  if (shownFilters !== filters) {
    setShownFilters(filters);
    setState(filters.state);
    setLanguage(filters.language);
    setPostcode(filters.postcode);
    setPostcodeError(null);
  }

  const stateName = (code: StateCode) => t(`states.${code}`);
  const stateOptions = sortByName(STATES, stateName, lang);
  const languageOptions = useMemo(() => {
    const codes = new Set(CORE_LANGUAGES);
    if (result.status === 'done') for (const centre of result.data) for (const code of centre.languages) codes.add(code);
    if (filters.language) codes.add(filters.language);
    return sortByName([...codes], (code) => languageName(code, lang), lang);
  }, [result, filters.language, lang]);

  function apply(event: FormEvent) {
    event.preventDefault();
    const trimmed = postcode.trim();
    if (trimmed && !isPostcode(trimmed)) {
      setPostcodeError(t('directory.filters.postcodeInvalid'));
      return;
    }
    setPostcodeError(null);
    setParams(paramsFromFilters({ state, language, postcode: trimmed }));
  }

  const groups = result.status === 'done' ? groupByState(result.data, stateName, lang) : [];
  const title = t('directory.title');
  const filtered = Boolean(filters.state || filters.language || filters.postcode);

  return (
    <section className="fd-page" data-testid="page-directory">
      <PageHeading title={title} lead={t('directory.lead')}>
        {title}
      </PageHeading>

      <form className="fd-filters" role="search" aria-label={t('directory.filters.label')} noValidate onSubmit={apply}>
        <SelectField label={t('directory.filters.state')} name="state" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">{t('directory.filters.allStates')}</option>
          {stateOptions.map((code) => (
            <option key={code} value={code}>
              {stateName(code)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('directory.filters.language')}
          name="language"
          value={language}
          onChange={(e) => setLanguage(e.target.value)}
        >
          <option value="">{t('directory.filters.allLanguages')}</option>
          {languageOptions.map((code) => (
            <option key={code} value={code}>
              {languageName(code, lang)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('directory.filters.postcode')}
          name="postcode"
          inputMode="numeric"
          autoComplete="postal-code"
          maxLength={5}
          className="fd-input--short"
          value={postcode}
          error={postcodeError}
          onChange={(e) => setPostcode(e.target.value)}
        />
        <div className="fd-filters__actions">
          <Button type="submit" icon="search">
            {t('directory.filters.apply')}
          </Button>
          {filtered ? (
            <Link className="kern-btn kern-btn--tertiary" to="/directory">
              <span className="kern-label">{t('directory.filters.reset')}</span>
            </Link>
          ) : null}
        </div>
      </form>

      <div className="fd-results">
        <p className="kern-body fd-results__count" role="status" aria-live="polite">
          {result.status === 'done' ? t('directory.count', { count: result.data.length }) : ''}
        </p>
        {result.status === 'loading' ? <Loader /> : null}
        {result.status === 'error' ? <ErrorMessage error={result.error} /> : null}
        {result.status === 'done' && result.data.length === 0 ? (
          <p className="kern-body">{t('directory.empty')}</p>
        ) : null}
        {result.status === 'done' && result.data.length > 0 ? (
          <div className={`fd-state-groups${groups.length === 1 ? ' fd-state-groups--single' : ''}`}>
            {groups.map((group) => (
              <section key={group.state} className="fd-state-group" aria-labelledby={`state-${group.state}`} data-testid="state-group">
                <h2 className="kern-heading-medium" id={`state-${group.state}`}>
                  {stateName(group.state)}
                  <span className="fd-state-group__count"> ({group.centres.length})</span>
                </h2>
                <div className="fd-centre-list">
                  {group.centres.map((centre) => (
                    <CentreCard key={centre.id} centre={centre} />
                  ))}
                </div>
              </section>
            ))}
          </div>
        ) : null}
      </div>
    </section>
  );
}
