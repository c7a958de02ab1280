import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { clearDraft, loadDraft, saveDraft } from '../../../lib/drafts';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Button } from '../../../components/Button';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { isPostcode } from '../../../lib/format';
import { addReferral, createCase, createClient, getCentres, getPartners, routeIntake, topicLabel, transferCase, useLoad, useTopics } from '../api/cases';
import { getClient, searchClients } from '../api/clients';
import { EMPLOYMENT_STATUSES, GENDERS, RESIDENCE_PLACES, RESIDENCE_STATUSES, SECTORS, placeToAbroad, type Client, type Suggestion, type Topic } from '../api/types';
import { first, rules, today, useForm, type Errors } from '../form';
import { useCasesTranslation, type CasesTranslation } from '../i18n';
import { countryName, countryOptions, EU_EEA_CH, languageName, languageOptions } from '../reference';
import { useUser } from '../../../lib/auth';
import { ClientFacts } from './ClientPage';
import { Checkbox, ConsentFields, FormProblems, multiSelectTexts, SearchableMultiSelect, TextArea } from './fields';
import '../cases.css';

const id = (field: string) => `new-${field.replace(/[^a-z0-9]+/gi, '-')}`;

const CLIENT_FIELDS: Record<string, string> = { 'consents.date': 'consent_date', 'case.topics': 'topics' };

/** `/cases/new`: a pseudonymous client, the topics and postcode, routing suggestions, then the case. */
export function NewCasePage() {
  const tr = useCasesTranslation();
  const topics = useTopics();
  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || topics.status === 'loading') return <Loader />;
  if (topics.status === 'error') return <ErrorMessage error={topics.error} />;
  return <NewCaseForm tr={tr} topics={topics.data} />;
}

function NewCaseForm({ tr, topics }: { tr: CasesTranslation; topics: Topic[] }) {
  const { tc, language } = tr;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // A returning client: chosen from the search, or given as ?client= (from the client record).
  const [existing, setExisting] = useState<Client | null>(null);
  const preselected = params.get('client');
  useEffect(() => {
    if (!preselected) return;
    getClient(preselected).then(
      (c) => chooseExisting(c),
      () => undefined,
    );
    // Only on opening.
  }, [preselected]);
  const [narrative, setNarrative] = useState(() => loadDraft<string>('intake-narrative')?.values ?? '');
  useEffect(() => {
    if (narrative.trim()) saveDraft('intake-narrative', narrative);
    else clearDraft('intake-narrative');
  }, [narrative]);
  // Referrals and a transfer chosen from the routing suggestions, recorded right after the case is opened.
  const [plannedReferrals, setPlannedReferrals] = useState<Record<string, { consent: boolean }>>({});
  const [plannedTransfer, setPlannedTransfer] = useState<string | null>(null);
  const r = rules(tc);
  const year = new Date().getFullYear();
  const clientId = useRef<string | null>(null);
  const form = useForm({
    initial: {
      nationality: '',
      birth_year: '',
      gender: 'unspecified',
      languages: [] as string[],
      employment_status: '',
      residence_status: '',
      abroad: '',
      sector: '',
      employer: '',
      storage: false,
      contact: false,
      anonymised_use: false,
      consent_date: '',
      name: '',
      phone: '',
      email: '',
      address: '',
      safe_contact: '',
      topics: [] as string[],
      postcode: '',
    },
    idOf: id,
    fieldOf: (f) => CLIENT_FIELDS[f] ?? f.replace(/\[\d+\].*$/, ''),
    validate: (v): Errors => ({
      nationality: existing ? undefined : r.required(v.nationality),
      birth_year: r.intRange(v.birth_year, 1900, year),
      consent_date: first(
        v.storage || v.contact || v.anonymised_use ? r.required(v.consent_date) : undefined,
        r.date(v.consent_date),
        r.notFuture(v.consent_date),
      ),
      topics: r.required(v.topics),
      postcode: v.postcode && !isPostcode(v.postcode) ? tc('validation.postcode') : undefined,
      phone: v.phone && !/^[0-9+\-/() ]+$/.test(v.phone) ? tc('validation.phone') : undefined,
      email: v.email && !v.email.includes('@') ? tc('validation.email') : undefined,
      employer: r.maxLength(v.employer, 200),
      safe_contact: r.maxLength(v.safe_contact, 2000),
    }),
  });
  const { values: v, set, error } = form;

  // Routing suggestions follow nationality, topics and postcode as they are entered.
  const [suggestions, setSuggestions] = useState<{ state: 'idle' | 'loading' | 'done' | 'error'; items: Suggestion[]; error?: unknown }>({
    state: 'idle',
    items: [],
  });
  const routeKey = `${v.nationality}|${v.topics.join(',')}|${isPostcode(v.postcode) ? v.postcode : ''}`;
  useEffect(() => {
    if (!v.nationality || v.topics.length === 0) {
      setSuggestions({ state: 'idle', items: [] });
      return;
    }
    const controller = new AbortController();
    setSuggestions((s) => ({ ...s, state: 'loading' }));
    const timer = window.setTimeout(() => {
      routeIntake(
        { nationality: v.nationality, topics: v.topics, ...(isPostcode(v.postcode) ? { postcode: v.postcode } : {}) },
        controller.signal,
      ).then(
        (items) => setSuggestions({ state: 'done', items }),
        (caught: unknown) => !controller.signal.aborted && setSuggestions({ state: 'error', items: [], error: caught }),
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
    // routeKey sums up what the suggestions depend on.
  }, [routeKey]);

  function chooseExisting(c: Client) {
    setExisting(c);
    clientId.current = c.id;
    if (c.nationality) set('nationality', c.nationality);
  }

  const title = tc('newCase.title');
  const optional = tc('form.optional');
  const multiTexts = multiSelectTexts(tc);
  const euNational = v.nationality && EU_EEA_CH.has(v.nationality);

  return (
    <section className="fd-page" data-testid="page-new-case">
      <PageHeading title={title} lead={tc('newCase.lead')}>
        {title}
      </PageHeading>
      <div className="fd-new-case">
        <form
          className="fd-form fd-new-case__form"
          noValidate
          onSubmit={form.onSubmit(async (values) => {
            if (existing) clientId.current = existing.id;
            if (!clientId.current) {
              const client = await createClient({
                nationality: values.nationality,
                birth_year: values.birth_year ? Number(values.birth_year) : null,
                gender: values.gender,
                languages: values.languages,
                employment_status: values.employment_status || null,
                residence_status: values.residence_status || null,
                abroad: placeToAbroad(values.abroad),
                sector: values.sector || null,
                employer: values.employer.trim() || null,
                consents: {
                  storage: values.storage,
                  contact: values.contact,
                  anonymised_use: values.anonymised_use,
                  ...(values.consent_date ? { date: values.consent_date } : {}),
                },
                name: values.name.trim() || null,
                phone: values.phone.trim() || null,
                email: values.email.trim() || null,
                address: values.address.trim() || null,
                safe_contact: values.safe_contact.trim() || null,
              });
              clientId.current = client.id;
            }
            const created = await createCase({
              client_id: clientId.current,
              topics: values.topics,
              ...(narrative.trim() ? { narrative: narrative.trim() } : {}),
            });
            clearDraft('intake-narrative');
            const notes: string[] = [tc('newCase.created', { number: created.number })];
            for (const [key, plan] of Object.entries(plannedReferrals)) {
              const s = suggestions.items.find((x) => suggestionKey(x) === key);
              if (!s) continue;
              await addReferral(created.id, {
                target: s.target,
                organisation_id: s.organisation_id,
                status: plan.consent ? 'made' : 'suggested',
                client_consent: plan.consent,
                consent_date: plan.consent ? today() : null,
                note: null,
              });
              notes.push(tc('routing.referralRecorded', { name: s.organisation_name ?? tc(`target.${s.target}`) }));
            }
            if (plannedTransfer) {
              await transferCase(created.id, { centre_id: plannedTransfer, consent_date: today() });
              navigate('/cases', { state: { notice: tc('transfer.done', { number: created.number, centre: suggestions.items.find((x) => x.organisation_id === plannedTransfer)?.organisation_name ?? '' }) } });
              return;
            }
            navigate(`/cases/${encodeURIComponent(created.id)}`, { state: { notice: notes.join(' ') } });
          })}
        >
          <ReturningClient tr={tr} existing={existing} onChoose={chooseExisting} onClear={() => { setExisting(null); clientId.current = null; }} />
          {existing ? null : (
          <fieldset className="kern-fieldset fd-step">
            <legend className="kern-heading-medium">{tc('newCase.stepClient')}</legend>
            <p className="kern-body">{tc('newCase.pseudonymous')}</p>
            <div className="fd-form-grid">
              <SelectField id={id('nationality')} label={tc('client.nationality')} value={v.nationality} error={error('nationality')} onChange={(e) => set('nationality', e.target.value)}>
                <option value="">{tc('form.choose')}</option>
                {countryOptions(language).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </SelectField>
              <TextField
                id={id('birth_year')}
                inputMode="numeric"
                label={tc('client.birthYear')}
                optional={optional}
                hint={tc('client.birthYearHint')}
                value={v.birth_year}
                maxLength={4}
                error={error('birth_year')}
                onChange={(e) => set('birth_year', e.target.value.trim())}
              />
              <SelectField id={id('gender')} label={tc('client.gender')} value={v.gender} error={error('gender')} onChange={(e) => set('gender', e.target.value)}>
                {GENDERS.map((g) => (
                  <option key={g} value={g}>
                    {tc(`gender.${g}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField id={id('employment_status')} label={tc('client.employmentStatus')} value={v.employment_status} error={error('employment_status')} onChange={(e) => set('employment_status', e.target.value)}>
                <option value="">{tc('form.notStated')}</option>
                {EMPLOYMENT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {tc(`employment.${s}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField id={id('residence_status')} label={tc('client.residenceStatus')} value={v.residence_status} error={error('residence_status')} onChange={(e) => set('residence_status', e.target.value)}>
                <option value="">{tc('form.notStated')}</option>
                {RESIDENCE_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {tc(`residence.${s}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField id={id('abroad')} label={tc('client.livesIn')} value={v.abroad} error={error('abroad')} onChange={(e) => set('abroad', e.target.value)}>
                <option value="">{tc('form.notStated')}</option>
                {RESIDENCE_PLACES.map((s) => (
                  <option key={s} value={s}>
                    {tc(`livesIn.${s}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField id={id('sector')} label={tc('client.sector')} value={v.sector} error={error('sector')} onChange={(e) => set('sector', e.target.value)}>
                <option value="">{tc('form.notStated')}</option>
                {SECTORS.map((s) => (
                  <option key={s} value={s}>
                    {`${s} – ${tc(`sector.${s}`)}`}
                  </option>
                ))}
              </SelectField>
              <TextField id={id('employer')} label={tc('client.employer')} optional={optional} value={v.employer} error={error('employer')} onChange={(e) => set('employer', e.target.value)} />
            </div>
            <SearchableMultiSelect
              id={id('languages')}
              legend={tc('client.languages')}
              optional={optional}
              value={v.languages}
              error={error('languages')}
              options={languageOptions(language)}
              onChange={(l) => set('languages', l)}
              filterLabel={tc('multi.filterLanguages')}
              {...multiTexts}
            />
            <ConsentFields id={id} tr={tr} values={v} set={set} error={error} />
            <fieldset className="kern-fieldset fd-encrypted-box" aria-describedby="new-personal-hint">
              <legend className="kern-label">
                <span className="kern-icon kern-icon--visibility-off" aria-hidden="true" /> {tc('client.personal')}{' '}
                <span className="kern-label__optional">{optional}</span>
              </legend>
              <div className="kern-hint" id="new-personal-hint">
                {tc('client.personalHint')}
              </div>
              <div className="fd-form-grid">
                <TextField id={id('name')} label={tc('client.name')} optional={optional} autoComplete="off" value={v.name} maxLength={200} error={error('name')} onChange={(e) => set('name', e.target.value)} />
                <TextField id={id('phone')} type="tel" label={tc('client.phone')} optional={optional} autoComplete="off" value={v.phone} maxLength={50} error={error('phone')} onChange={(e) => set('phone', e.target.value)} />
                <TextField id={id('email')} type="email" label={tc('client.email')} optional={optional} autoComplete="off" value={v.email} maxLength={254} error={error('email')} onChange={(e) => set('email', e.target.value)} />
                <TextField id={id('address')} label={tc('client.address')} optional={optional} autoComplete="off" value={v.address} maxLength={500} error={error('address')} onChange={(e) => set('address', e.target.value)} />
              </div>
              <TextArea id={id('safe_contact')} label={tc('client.safeContact')} hint={tc('client.safeContactHint')} optional={optional} value={v.safe_contact} error={error('safe_contact')} onChange={(e) => set('safe_contact', e.target.value)} />
            </fieldset>
          </fieldset>
          )}

          <fieldset className="kern-fieldset fd-step">
            <legend className="kern-heading-medium">{tc('newCase.stepTopics')}</legend>
            <SearchableMultiSelect
              id={id('topics')}
              legend={tc('fields.topics')}
              hint={tc('newCase.topicsHint')}
              value={v.topics}
              error={error('topics')}
              options={topics.map((t) => ({ value: t.code, label: topicLabel(topics, t.code, language) + (t.in_scope ? '' : ` (${tc('newCase.outOfScope')})`) }))}
              onChange={(t) => set('topics', t)}
              filterLabel={tc('multi.filterTopics')}
              {...multiTexts}
            />
            <TextArea id={id('narrative')} label={tc('fields.narrative')} hint={tc('edit.narrativeHint')} optional={optional} rows={4} value={narrative} onChange={(e) => setNarrative(e.target.value)} />
          </fieldset>

          <fieldset className="kern-fieldset fd-step">
            <legend className="kern-heading-medium">{tc('newCase.stepPostcode')}</legend>
            <TextField
              id={id('postcode')}
              inputMode="numeric"
              className="fd-input--short"
              label={tc('newCase.postcode')}
              hint={tc('newCase.postcodeHint')}
              optional={optional}
              maxLength={5}
              value={v.postcode}
              error={error('postcode')}
              onChange={(e) => set('postcode', e.target.value.trim())}
            />
          </fieldset>

          <aside className="fd-panel fd-routing" aria-labelledby="routing-title" data-testid="routing-suggestions">
            <h2 className="kern-heading-medium" id="routing-title">
              {tc('routing.title')}
            </h2>
            <div aria-live="polite">
              {suggestions.state === 'idle' ? <p className="kern-body">{tc('routing.idle')}</p> : null}
              {suggestions.state === 'loading' ? <Loader label={tc('routing.loading')} /> : null}
              {suggestions.state === 'error' ? <ErrorMessage error={suggestions.error} headingLevel={3} /> : null}
              {suggestions.state === 'done' && suggestions.items.length === 0 ? <p className="kern-body">{tc('routing.none')}</p> : null}
              {suggestions.state === 'done' && suggestions.items.length ? (
                <ul className="fd-routing__list">
                  {suggestions.items.map((s, i) => (
                    <li key={`${s.rule_id}-${i}`} className="fd-routing__item" data-testid="routing-suggestion" data-target={s.target}>
                      <h3 className="kern-heading-small">{tc(`target.${s.target}`)}</h3>
                      {s.organisation_name ? <p className="kern-body kern-body--bold">{s.organisation_name}</p> : null}
                      <p className="kern-body">{language === 'en' ? s.reasons.en : s.reasons.de}</p>
                      <SuggestionActions
                        suggestion={s}
                        tr={tr}
                        planned={plannedReferrals[suggestionKey(s)] ?? null}
                        transfer={plannedTransfer !== null && plannedTransfer === s.organisation_id}
                        onPlan={(plan) =>
                          setPlannedReferrals((p) => {
                            const next = { ...p };
                            if (plan) next[suggestionKey(s)] = plan;
                            else delete next[suggestionKey(s)];
                            return next;
                          })
                        }
                        onTransfer={(on) => setPlannedTransfer(on ? s.organisation_id : null)}
                      />
                      {s.topics.length ? (
                        <p className="kern-body kern-body--small">
                          {tc('routing.topics')}: {s.topics.map((t) => topicLabel(topics, t, language)).join(', ')}
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              {euNational ? <p className="kern-body kern-body--small">{tc('routing.euNote')}</p> : null}
            </div>
          </aside>
          <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
          <div className="fd-actions fd-new-case__actions">
            <Button type="submit" icon="check" busy={form.busy}>
              {tc('newCase.submit')}
            </Button>
            <Button type="button" variant="tertiary" onClick={() => navigate('/cases')}>
              {tc('form.cancel')}
            </Button>
          </div>
        </form>


      </div>
    </section>
  );
}

const suggestionKey = (s: Suggestion) => `${s.target}:${s.organisation_id ?? ''}:${s.rule_id}`;

interface Contact {
  name: string;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  languages?: string[];
  address?: { street?: string; postcode?: string; city?: string };
}

let contacts: Promise<Map<string, Contact>> | null = null;
/** Centres and partners by id, loaded once per page visit, for the contact data of a suggestion. */
function loadContacts(): Promise<Map<string, Contact>> {
  contacts ??= Promise.all([getCentres(), getPartners()]).then(
    ([centres, partners]) => new Map<string, Contact>([...centres, ...partners].map((o) => [o.id, o as unknown as Contact])),
    (error: unknown) => {
      contacts = null;
      throw error;
    },
  );
  return contacts;
}

/** A suggestion that names another centre or a partner: its contact data, and a referral (or transfer) to record with the case. */
function SuggestionActions({
  suggestion: s,
  tr,
  planned,
  transfer,
  onPlan,
  onTransfer,
}: {
  suggestion: Suggestion;
  tr: CasesTranslation;
  planned: { consent: boolean } | null;
  transfer: boolean;
  onPlan: (plan: { consent: boolean } | null) => void;
  onTransfer: (on: boolean) => void;
}) {
  const { tc, language } = tr;
  const user = useUser();
  const all = useLoad('intake-contacts', loadContacts);
  if (s.target === 'centre' && (!s.organisation_id || s.organisation_id === user.centre_id)) return null;
  const contact = s.organisation_id && all.status === 'done' ? all.data.get(s.organisation_id) : undefined;
  const key = `plan-${s.rule_id}-${s.organisation_id ?? s.target}`.replace(/[^a-z0-9-]/gi, '-');
  const languages = contact?.languages?.length ? contact.languages : s.languages;
  return (
    <div className="fd-suggestion-actions" data-testid="suggestion-actions">
      {contact ? (
        <p className="kern-body fd-contact" data-testid="suggestion-contact">
          {[contact.address ? `${contact.address.street ?? ''}, ${contact.address.postcode ?? ''} ${contact.address.city ?? ''}` : null, contact.phone, contact.email, contact.website]
            .filter(Boolean)
            .join(' · ')}
        </p>
      ) : null}
      {languages.length ? (
        <p className="kern-body kern-body--small">
          {tc('routing.languages')}: {languages.map((l) => languageName(l, language)).join(', ')}
        </p>
      ) : null}
      <Checkbox id={`${key}-referral`} label={tc('routing.planReferral')} checked={planned !== null} onChange={(c) => onPlan(c ? { consent: false } : null)} />
      {planned ? (
        <Checkbox id={`${key}-consent`} label={tc('routing.planConsent')} checked={planned.consent} onChange={(c) => onPlan({ consent: c })} />
      ) : null}
      {s.target === 'centre' ? (
        <Checkbox id={`${key}-transfer`} label={tc('routing.planTransfer')} checked={transfer} onChange={onTransfer} />
      ) : null}
    </div>
  );
}

/** "Returning client?": find the centre's client by code, name, phone or e-mail, or birth year and nationality. */
function ReturningClient({ tr, existing, onChoose, onClear }: { tr: CasesTranslation; existing: Client | null; onChoose: (c: Client) => void; onClear: () => void }) {
  const { tc, language } = tr;
  const [q, setQ] = useState('');
  const [birthYear, setBirthYear] = useState('');
  const [nationality, setNationality] = useState('');
  const [found, setFound] = useState<Client[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function search() {
    setFailure(null);
    setBusy(true);
    try {
      const byText = q.trim() ? await searchClients({ q: q.trim() }) : [];
      const byFacts = birthYear && nationality ? await searchClients({ birth_year: /^\d+$/.test(birthYear.trim()) ? Number(birthYear.trim()) : birthYear, nationality }) : [];
      const seen = new Set<string>();
      setFound([...byText, ...byFacts].filter((c) => !seen.has(c.id) && (seen.add(c.id), true)));
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  if (existing) {
    return (
      <section className="fd-panel fd-returning" aria-labelledby="returning-title" data-testid="returning-chosen">
        <h2 className="kern-heading-medium" id="returning-title">
          {tc('returning.chosen', { code: existing.code })}
        </h2>
        <ClientFacts client={existing} tr={tr} short />
        <Button variant="tertiary" icon="close" onClick={onClear}>
          {tc('returning.other')}
        </Button>
      </section>
    );
  }
  return (
    <section className="fd-panel fd-returning" aria-labelledby="returning-title" data-testid="returning-client">
      <h2 className="kern-heading-medium" id="returning-title">
        {tc('returning.title')}
      </h2>
      <p className="kern-body">{tc('returning.lead')}</p>
      <div className="fd-inline-search" role="search" aria-labelledby="returning-title">
        <TextField id="returning-q" label={tc('returning.q')} autoComplete="off" value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } }} />
        <TextField id="returning-birth-year" inputMode="numeric" maxLength={4} className="fd-input--short" label={tc('returning.birthYear')} value={birthYear} onChange={(e) => setBirthYear(e.target.value.trim())} />
        <SelectField id="returning-nationality" label={tc('returning.nationality')} value={nationality} onChange={(e) => setNationality(e.target.value)}>
          <option value="">{tc('form.choose')}</option>
          {countryOptions(language).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <Button variant="secondary" icon="search" busy={busy} disabled={!q.trim() && !(birthYear && nationality)} onClick={() => void search()}>
          {tc('returning.search')}
        </Button>
      </div>
      {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
      {found ? (
        found.length === 0 ? (
          <p className="kern-body" role="status">{tc('returning.none')}</p>
        ) : (
          <ul className="fd-returning__results" data-testid="returning-results" aria-live="polite">
            {found.map((c) => (
              <li key={c.id}>
                <span>
                  <span className="kern-body kern-body--bold">{c.code}</span>{' '}
                  {[c.nationality ? countryName(c.nationality, language) : null, c.birth_year ? tc('client.born', { year: c.birth_year }) : null, c.languages.map((l) => languageName(l, language)).join(', ') || null]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
                <Button variant="secondary" icon="add" onClick={() => onChoose(c)}>
                  {tc('returning.choose', { code: c.code })}
                </Button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
