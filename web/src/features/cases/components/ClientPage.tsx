/**
 * `/clients/:id`: the client record. Every recorded field, the consents with their date, the
 * encrypted personal fields only after an explicit "show" (audited on the server), editing with
 * If-Match, the client's cases, the data-subject export and erasure, and — for centre leads — the
 * merge of a duplicate record. `ClientPanel` is the same record in short on the case page.
 */
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import { clientCases, eraseClient, exportUrl, getClient, mergeClient, searchClients, showPersonal, updateClient } from '../api/clients';
import { topicLabel, useLoad, useTopics } from '../api/cases';
import { EMPLOYMENT_STATUSES, GENDERS, PERSONAL_FIELDS, RESIDENCE_PLACES, RESIDENCE_STATUSES, SECTORS, abroadToPlace, placeToAbroad, type Client, type Personal, type PersonalField, type Topic } from '../api/types';
import { first, rules, useForm, type Errors } from '../form';
import { useCasesTranslation, type CasesTranslation } from '../i18n';
import { countryName, countryOptions, formatDate, languageName, languageOptions } from '../reference';
import { StatusBadge } from './CaseBits';
import { ConflictNotice, type Conflict as BaseConflict } from './CaseForms';

type Conflict = BaseConflict & { body: Record<string, unknown> };
/** The recorded fields a conflict compares; name and contact only where they were shown (and so editable). */
const CLIENT_CONFLICT_FIELDS = ['nationality', 'birth_year', 'gender', 'languages', 'employment_status', 'sector', 'employer', 'residence_status', 'abroad', 'consents'] as const;
const EDITABLE_PERSONAL = ['name', 'phone', 'email', 'address', 'safe_contact'] as const;
import { ConsentFields, FormProblems, multiSelectTexts, SearchableMultiSelect, TextArea } from './fields';
import '../cases.css';

const PERSONAL_KEYS: Record<PersonalField, string> = {
  name: 'client.name',
  phone: 'client.phone',
  email: 'client.email',
  address: 'client.address',
  birth_date: 'client.birthDate',
  safe_contact: 'client.safeContact',
};

export function ClientPage() {
  const { id = '' } = useParams();
  const tr = useCasesTranslation();
  const topics = useTopics();
  const client = useLoad(`client:${id}`, (signal) => getClient(id, signal));
  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || client.status === 'loading') return <Loader />;
  if (client.status === 'error') {
    if (client.error instanceof ApiError && client.error.status === 404) {
      const title = tr.tc('clientPage.notFound');
      return (
        <section className="fd-page">
          <PageHeading title={title}>{title}</PageHeading>
          <p className="kern-body">
            <Link className="kern-link" to="/cases">
              {tr.tc('detail.back')}
            </Link>
          </p>
        </section>
      );
    }
    return <ErrorMessage error={client.error} />;
  }
  return <ClientView client={client.data} topics={topics.status === 'done' ? topics.data : []} tr={tr} reload={client.reload} />;
}

function ClientView({ client, topics, tr, reload }: { client: Client; topics: Topic[]; tr: CasesTranslation; reload: () => void }) {
  const { tc, language } = tr;
  const user = useUser();
  const cases = useLoad(`client-cases:${client.id}`, (signal) => clientCases(client.id, signal));
  const [personal, setPersonal] = useState<Personal | null>(null);
  const [showFailure, setShowFailure] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const title = tc('clientPage.title', { code: client.code });

  async function show() {
    setShowFailure(null);
    try {
      setPersonal(await showPersonal(client.id));
    } catch (caught) {
      setShowFailure(caught);
    }
  }

  return (
    <section className="fd-page" data-testid="page-client">
      <PageHeading title={title} lead={tc('clientPage.lead')}>
        {title}
      </PageHeading>
      <div aria-live="polite">{notice ? <Alert tone="success" role="status" title={notice} /> : null}</div>

      {editing ? (
        <EditClientForm
          client={client}
          personal={personal}
          tr={tr}
          onCancel={() => setEditing(false)}
          onDone={(message, fresh) => {
            setEditing(false);
            setNotice(message);
            if (fresh) setPersonal(fresh);
            reload();
          }}
        />
      ) : (
        <>
          <section className="fd-panel" aria-labelledby="client-facts-title">
            <h2 className="kern-heading-medium" id="client-facts-title">
              {tc('clientPage.facts')}
            </h2>
            <ClientFacts client={client} tr={tr} />
            <div className="fd-actions">
              <Button variant="secondary" icon="edit" onClick={() => setEditing(true)}>
                {tc('clientPage.edit')}
              </Button>
            </div>
          </section>

          <section className="fd-panel fd-encrypted-box" aria-labelledby="client-personal-title" data-testid="client-personal">
            <h2 className="kern-heading-medium" id="client-personal-title">
              <span className="kern-icon kern-icon--visibility-off" aria-hidden="true" /> {tc('client.personal')}
            </h2>
            <PersonalFields client={client} personal={personal} tr={tr} />
            {showFailure ? <ErrorMessage error={showFailure} headingLevel={3} /> : null}
            {personal ? (
              <div className="fd-actions">
                <Button variant="tertiary" icon="visibility-off" onClick={() => setPersonal(null)}>
                  {tc('clientPage.hide')}
                </Button>
              </div>
            ) : (
              <>
                <p className="kern-body kern-body--small">{tc('clientPage.showHint')}</p>
                <div className="fd-actions">
                  <Button variant="secondary" icon="visibility" onClick={() => void show()}>
                    {tc('clientPage.show')}
                  </Button>
                </div>
              </>
            )}
          </section>
        </>
      )}

      <section className="fd-panel" aria-labelledby="client-cases-title">
        <h2 className="kern-heading-medium" id="client-cases-title">
          {tc('clientPage.cases')}
        </h2>
        {cases.status === 'loading' ? <Loader /> : null}
        {cases.status === 'error' ? <ErrorMessage error={cases.error} headingLevel={3} /> : null}
        {cases.status === 'done' ? (
          <ul className="fd-client-cases" data-testid="client-cases">
            {cases.data.map((c) => (
              <li key={c.id}>
                <Link className="kern-link" to={`/cases/${encodeURIComponent(c.id)}`}>
                  {tc('detail.title', { number: c.number })}
                </Link>{' '}
                <StatusBadge status={c.status} tr={tr} /> · {formatDate(c.opened_on, language)} · {c.topics.map((t) => topicLabel(topics, t, language)).join(', ')}
              </li>
            ))}
          </ul>
        ) : null}
        <p className="kern-body">
          <Link className="kern-link" to={`/cases/new?client=${encodeURIComponent(client.id)}`} data-testid="client-new-case">
            <span className="kern-icon kern-icon--add" aria-hidden="true" />
            {tc('clientPage.newCase')}
          </Link>
        </p>
      </section>

      <DataSubjectPanel client={client} tr={tr} />
      {user.role === 'centre_lead' ? <MergePanel client={client} tr={tr} onMerged={(m) => { setNotice(m); reload(); cases.reload(); }} /> : null}
    </section>
  );
}

export function ClientFacts({ client, tr, short = false }: { client: Client; tr: CasesTranslation; short?: boolean }) {
  const { tc, language } = tr;
  const consents = (['storage', 'contact', 'anonymised_use'] as const).filter((k) => client.consents[k]);
  return (
    <dl className="kern-description-list kern-description-list--col fd-case-facts" data-testid="client-facts">
      <Fact label={tc('client.code')}>
        <span data-testid="client-code">{client.code}</span>
      </Fact>
      <Fact label={tc('client.nationality')}>{client.nationality ? countryName(client.nationality, language) : tc('form.notStated')}</Fact>
      <Fact label={tc('client.birthYear')}>{client.birth_year ?? tc('form.notStated')}</Fact>
      {short ? null : <Fact label={tc('client.gender')}>{tc(`gender.${client.gender}`)}</Fact>}
      <Fact label={tc('client.languages')}>{client.languages.map((l) => languageName(l, language)).join(', ') || tc('form.notStated')}</Fact>
      <Fact label={tc('client.employer')}>{client.employer ?? tc('form.notStated')}</Fact>
      {short ? null : (
        <>
          <Fact label={tc('client.employmentStatus')}>{client.employment_status ? tc(`employment.${client.employment_status}`) : tc('form.notStated')}</Fact>
          <Fact label={tc('client.sector')}>{client.sector ? `${client.sector} – ${tc(`sector.${client.sector}`)}` : tc('form.notStated')}</Fact>
          <Fact label={tc('client.residenceStatus')}>{client.residence_status ? tc(`residence.${client.residence_status}`) : tc('form.notStated')}</Fact>
          <Fact label={tc('client.livesIn')}>{abroadToPlace(client.abroad) ? tc(`livesIn.${abroadToPlace(client.abroad)}`) : tc('form.notStated')}</Fact>
        </>
      )}
      <Fact label={tc('client.consents')}>
        <span data-testid="client-consents">
          {consents.length
            ? `${consents.map((k) => tc(`clientPage.consent.${k}`)).join(', ')} – ${tc('clientPage.consentOn', { date: formatDate(client.consents.date, language) })}`
            : tc('clientPage.noConsent')}
        </span>
      </Fact>
    </dl>
  );
}

function PersonalFields({ client, personal, tr }: { client: Client; personal: Personal | null; tr: CasesTranslation }) {
  const { tc, language } = tr;
  return (
    <dl className="kern-description-list kern-description-list--col fd-case-facts">
      {PERSONAL_FIELDS.map((f) => {
        const recorded = personal ? Boolean(personal[f]) : client.recorded?.[f];
        let value: ReactNode;
        if (personal) value = personal[f] ? (f === 'birth_date' ? formatDate(personal[f], language) : personal[f]) : tc('clientPage.notRecorded');
        else value = recorded ? <span className="kern-body--muted">{tc('clientPage.hidden')}</span> : tc('clientPage.notRecorded');
        return (
          <Fact key={f} label={tc(PERSONAL_KEYS[f])}>
            <span data-testid={`personal-${f}`} className="fd-notes">
              {value}
            </span>
          </Fact>
        );
      })}
    </dl>
  );
}

function EditClientForm({
  client,
  personal,
  tr,
  onDone,
  onCancel,
}: {
  client: Client;
  personal: Personal | null;
  tr: CasesTranslation;
  onDone: (message: string, personal: Personal | null) => void;
  onCancel: () => void;
}) {
  const { tc, language } = tr;
  const r = rules(tc);
  const id = (f: string) => `client-${f.replace(/[^a-z0-9]+/gi, '-')}`;
  const year = new Date().getFullYear();
  const form = useForm({
    initial: {
      nationality: client.nationality ?? '',
      birth_year: client.birth_year ? String(client.birth_year) : '',
      gender: client.gender,
      languages: client.languages,
      employment_status: client.employment_status ?? '',
      residence_status: client.residence_status ?? '',
      abroad: abroadToPlace(client.abroad),
      sector: client.sector ?? '',
      employer: client.employer ?? '',
      storage: client.consents.storage,
      contact: client.consents.contact,
      anonymised_use: client.consents.anonymised_use,
      consent_date: client.consents.date ?? '',
      name: personal?.name ?? '',
      phone: personal?.phone ?? '',
      email: personal?.email ?? '',
      address: personal?.address ?? '',
      safe_contact: personal?.safe_contact ?? '',
    },
    idOf: id,
    fieldOf: (f) => (f === 'consents.date' ? 'consent_date' : f.replace(/\[\d+\].*$/, '')),
    validate: (v): Errors => ({
      birth_year: r.intRange(v.birth_year, 1900, year),
      consent_date: first(
        (v.storage || v.contact || v.anonymised_use) && !client.consents.date ? r.required(v.consent_date) : undefined,
        r.date(v.consent_date),
        r.notFuture(v.consent_date),
      ),
      phone: v.phone && !/^[0-9+\-/() ]+$/.test(v.phone) ? tc('validation.phone') : undefined,
      email: v.email && !v.email.includes('@') ? tc('validation.email') : undefined,
      employer: r.maxLength(v.employer, 200),
      safe_contact: r.maxLength(v.safe_contact, 2000),
    }),
  });
  const { values: v, set, error } = form;
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const optional = tc('form.optional');

  /** Sends the changed fields; on 412 shows what is stored now next to this person's entry. */
  async function send(body: Record<string, unknown>, etag: string | null): Promise<boolean> {
    try {
      await updateClient(client.id, body, etag);
      return true;
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        const current = await getClient(client.id);
        // Name and contact were shown and are being edited: read them again (an audited look, as
        // the first), so that the comparison shows what is stored now instead of "not stated".
        const shownNow = personal ? await showPersonal(client.id) : null;
        setConflict({
          mine: body,
          theirs: { ...current, ...shownNow } as unknown as Record<string, unknown>,
          etag: current.etag ?? null,
          body,
          opened: { ...client, ...personal } as unknown as Record<string, unknown>,
          compare: personal ? [...CLIENT_CONFLICT_FIELDS, ...EDITABLE_PERSONAL] : CLIENT_CONFLICT_FIELDS,
        });
        return false;
      }
      throw caught;
    }
  }

  const describe = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return tc('form.notStated');
    if (field === 'nationality') return countryName(String(value), language);
    if (field === 'languages') return (value as string[]).map((l) => languageName(l, language)).join(', ') || tc('form.notStated');
    if (field === 'gender') return tc(`gender.${String(value)}`);
    if (field === 'employment_status') return tc(`employment.${String(value)}`);
    if (field === 'sector') return `${String(value)} – ${tc(`sector.${String(value)}`)}`;
    if (field === 'residence_status') return tc(`residence.${String(value)}`);
    if (field === 'abroad') return tc(`livesIn.${value === true ? 'abroad' : 'germany'}`);
    if (field === 'consents') {
      const c = value as Record<string, unknown>;
      const given = (['storage', 'contact', 'anonymised_use'] as const).filter((k) => c[k]).map((k) => tc(`clientPage.consent.${k}`));
      return given.length ? `${given.join(', ')} – ${formatDate(String(c.date ?? ''), language)}` : tc('clientPage.noConsent');
    }
    return String(value);
  };

  return (
    <form
      className="fd-form fd-panel fd-client-edit"
      noValidate
      aria-labelledby="client-edit-title"
      onSubmit={form.onSubmit(async (values) => {
        const all: Record<string, unknown> = {
          nationality: values.nationality || null,
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
            date: values.consent_date || null,
          },
        };
        const stored = client as unknown as Record<string, unknown>;
        // Only what this person changed is sent, so a colleague's change of another field stays.
        const body: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(all)) if (JSON.stringify(v) !== JSON.stringify(stored[k] ?? null)) body[k] = v;
        if (body.consents && !values.consent_date) delete (body.consents as Record<string, unknown>).date;
        // The personal fields only when they were shown (and so could be edited).
        if (personal) {
          for (const f of EDITABLE_PERSONAL) {
            const v = values[f].trim() || null;
            if (v !== (personal[f] ?? null)) body[f] = v;
          }
        }
        if (Object.keys(body).length === 0) {
          onDone(tc('edit.unchanged'), null);
          return;
        }
        if (!(await send(body, client.etag ?? null))) return;
        onDone(
          tc('clientPage.saved'),
          personal ? { ...personal, name: values.name || null, phone: values.phone || null, email: values.email || null, address: values.address || null, safe_contact: values.safe_contact || null } : null,
        );
      })}
    >
      <h2 className="kern-heading-medium" id="client-edit-title">
        {tc('clientPage.editTitle', { code: client.code })}
      </h2>
      {conflict ? (
        <ConflictNotice
          conflict={conflict}
          tr={tr}
          title={tc('clientPage.conflictTitle')}
          describe={describe}
          onReapply={() => send(conflict.body, conflict.etag).then((ok) => ok && onDone(tc('clientPage.saved'), null))}
          onDiscard={() => onDone(tc('conflict.discarded'), null)}
        />
      ) : null}
      <div className="fd-form-grid">
        <SelectField id={id('nationality')} label={tc('client.nationality')} value={v.nationality} error={error('nationality')} onChange={(e) => set('nationality', e.target.value)}>
          <option value="">{tc('form.notStated')}</option>
          {countryOptions(language).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <TextField id={id('birth_year')} inputMode="numeric" label={tc('client.birthYear')} optional={optional} value={v.birth_year} maxLength={4} error={error('birth_year')} onChange={(e) => set('birth_year', e.target.value.trim())} />
        <SelectField id={id('gender')} label={tc('client.gender')} value={v.gender} onChange={(e) => set('gender', e.target.value)}>
          {GENDERS.map((g) => (
            <option key={g} value={g}>
              {tc(`gender.${g}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id={id('employment_status')} label={tc('client.employmentStatus')} value={v.employment_status} onChange={(e) => set('employment_status', e.target.value)}>
          <option value="">{tc('form.notStated')}</option>
          {EMPLOYMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(`employment.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id={id('residence_status')} label={tc('client.residenceStatus')} value={v.residence_status} onChange={(e) => set('residence_status', e.target.value)}>
          <option value="">{tc('form.notStated')}</option>
          {RESIDENCE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(`residence.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id={id('abroad')} label={tc('client.livesIn')} value={v.abroad} onChange={(e) => set('abroad', e.target.value)}>
          <option value="">{tc('form.notStated')}</option>
          {RESIDENCE_PLACES.map((s) => (
            <option key={s} value={s}>
              {tc(`livesIn.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id={id('sector')} label={tc('client.sector')} value={v.sector} onChange={(e) => set('sector', e.target.value)}>
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
        options={languageOptions(language)}
        onChange={(l) => set('languages', l)}
        filterLabel={tc('multi.filterLanguages')}
        {...multiSelectTexts(tc)}
      />
      <ConsentFields id={id} tr={tr} values={v} set={set} error={error} />
      {personal ? (
        <fieldset className="kern-fieldset fd-encrypted-box">
          <legend className="kern-label">{tc('client.personal')}</legend>
          <div className="fd-form-grid">
            <TextField id={id('name')} label={tc('client.name')} optional={optional} autoComplete="off" value={v.name} maxLength={200} error={error('name')} onChange={(e) => set('name', e.target.value)} />
            <TextField id={id('phone')} type="tel" label={tc('client.phone')} optional={optional} autoComplete="off" value={v.phone} maxLength={50} error={error('phone')} onChange={(e) => set('phone', e.target.value)} />
            <TextField id={id('email')} type="email" label={tc('client.email')} optional={optional} autoComplete="off" value={v.email} maxLength={254} error={error('email')} onChange={(e) => set('email', e.target.value)} />
            <TextField id={id('address')} label={tc('client.address')} optional={optional} autoComplete="off" value={v.address} maxLength={500} error={error('address')} onChange={(e) => set('address', e.target.value)} />
          </div>
          <TextArea id={id('safe_contact')} label={tc('client.safeContact')} hint={tc('client.safeContactHint')} optional={optional} value={v.safe_contact} error={error('safe_contact')} onChange={(e) => set('safe_contact', e.target.value)} />
        </fieldset>
      ) : (
        <p className="kern-body kern-body--small">{tc('clientPage.personalEditHint')}</p>
      )}
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <div className="fd-actions">
        <Button type="submit" icon="check" busy={form.busy}>
          {tc('clientPage.save')}
        </Button>
        <Button variant="tertiary" onClick={onCancel}>
          {tc('form.cancel')}
        </Button>
      </div>
    </form>
  );
}

function DataSubjectPanel({ client, tr }: { client: Client; tr: CasesTranslation }) {
  const { tc } = tr;
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const matches = typed.trim().toUpperCase() === client.code.toUpperCase();

  async function erase() {
    setBusy(true);
    setFailure(null);
    try {
      await eraseClient(client.id);
      navigate('/cases', { state: { notice: tc('clientPage.erased', { code: client.code }) } });
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="fd-panel" aria-labelledby="client-rights-title">
      <h2 className="kern-heading-medium" id="client-rights-title">
        {tc('clientPage.rights')}
      </h2>
      <p className="kern-body">{tc('clientPage.rightsLead')}</p>
      <p className="kern-body">
        <a className="kern-link" href={exportUrl(client.id)} download="client-export.zip" data-testid="client-export">
          <span className="kern-icon kern-icon--download" aria-hidden="true" />
          {tc('clientPage.export')}
        </a>
      </p>
      {confirming ? (
        <div className="fd-form">
          <Alert tone="danger" title={tc('clientPage.eraseWarning')} headingLevel={3}>
            <p className="kern-body">{tc('clientPage.eraseText')}</p>
          </Alert>
          <TextField id="client-erase-confirm" label={tc('clientPage.eraseConfirm', { code: client.code })} autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
          {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
          <div className="fd-actions">
            <Button icon="delete" busy={busy} disabled={!matches} onClick={() => void erase()}>
              {tc('clientPage.eraseSubmit')}
            </Button>
            <Button variant="tertiary" onClick={() => setConfirming(false)}>
              {tc('form.cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="secondary" icon="delete" onClick={() => setConfirming(true)}>
          {tc('clientPage.erase')}
        </Button>
      )}
    </section>
  );
}

function MergePanel({ client, tr, onMerged }: { client: Client; tr: CasesTranslation; onMerged: (message: string) => void }) {
  const { tc, language } = tr;
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Client[] | null>(null);
  const [chosen, setChosen] = useState<Client | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function search() {
    setFailure(null);
    setChosen(null);
    try {
      setFound((await searchClients({ q: q.trim() })).filter((c) => c.id !== client.id));
    } catch (caught) {
      setFailure(caught);
    }
  }

  async function merge() {
    if (!chosen) return;
    setBusy(true);
    setFailure(null);
    try {
      await mergeClient(client.id, chosen.id);
      setFound(null);
      setChosen(null);
      setQ('');
      onMerged(tc('clientPage.merged', { source: chosen.code, target: client.code }));
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="fd-panel" aria-labelledby="client-merge-title" data-testid="client-merge">
      <h2 className="kern-heading-medium" id="client-merge-title">
        {tc('clientPage.mergeTitle')}
      </h2>
      <p className="kern-body">{tc('clientPage.mergeLead', { code: client.code })}</p>
      <form
        className="fd-inline-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (q.trim()) void search();
        }}
      >
        <TextField id="client-merge-q" label={tc('clientPage.mergeSearch')} value={q} autoComplete="off" onChange={(e) => setQ(e.target.value)} />
        <Button type="submit" variant="secondary" icon="search">
          {tc('returning.search')}
        </Button>
      </form>
      {found && found.length === 0 ? <p className="kern-body">{tc('returning.none')}</p> : null}
      {found && found.length ? (
        <fieldset className="kern-fieldset">
          <legend className="kern-label">{tc('clientPage.mergeChoose')}</legend>
          <div className="kern-fieldset__body">
            {found.map((c) => (
              <div className="kern-form-check" key={c.id}>
                <input id={`merge-${c.id}`} type="radio" name="merge-source" className="kern-form-check__radio" checked={chosen?.id === c.id} onChange={() => setChosen(c)} />
                <label className="kern-label" htmlFor={`merge-${c.id}`}>
                  {[c.code, c.nationality ? countryName(c.nationality, language) : null, c.birth_year].filter(Boolean).join(' · ')}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      ) : null}
      {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
      {chosen ? (
        <>
          <Alert tone="warning" title={tc('clientPage.mergeConfirm', { source: chosen.code, target: client.code })} headingLevel={3} />
          <div className="fd-actions">
            <Button icon="autorenew" busy={busy} onClick={() => void merge()}>
              {tc('clientPage.mergeSubmit')}
            </Button>
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The client in short on the case page, with a link to the record. */
export function ClientPanel({ client, tr }: { client: Client; tr: CasesTranslation }) {
  const { tc } = tr;
  const [personal, setPersonal] = useState<Personal | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <section className="fd-panel fd-client-panel" aria-labelledby="client-panel-title" data-testid="client-panel">
      <h3 className="kern-heading-small" id="client-panel-title">
        {tc('fields.client')}
      </h3>
      <ClientFacts client={client} tr={tr} short />
      {personal ? <PersonalFields client={client} personal={personal} tr={tr} /> : null}
      {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
      <div className="fd-actions">
        <Link className="kern-link" to={`/clients/${encodeURIComponent(client.id)}`} data-testid="client-record-link">
          <span className="kern-icon kern-icon--account-circle" aria-hidden="true" />
          {tc('clientPage.open')}
        </Link>
        {personal ? (
          <Button variant="tertiary" icon="visibility-off" onClick={() => setPersonal(null)}>
            {tc('clientPage.hide')}
          </Button>
        ) : (
          <Button
            variant="tertiary"
            icon="visibility"
            onClick={() => {
              setFailure(null);
              showPersonal(client.id).then(setPersonal, setFailure);
            }}
          >
            {tc('clientPage.showContact')}
          </Button>
        )}
      </div>
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}
