import { useCallback, useId, useRef, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { Loaded } from '../../../components/Loaded';
import { PageHeading } from '../../../components/PageHeading';
import { languageName } from '../../../lib/format';
import { CHANNELS, getCentre, patchCentre, useLoad, type Centre, type CentrePatch, type OpeningHours } from '../api/admin';
import { AdminTable } from './AdminTable';
import { EMAIL, HTTP_URL, optionalText, useForm, type Errors } from '../form';
import { useAdminTranslation, type AdminTranslation } from '../i18n';
import { OtherErrors } from './OtherErrors';

interface Values extends Record<string, unknown> {
  name: string;
  street: string;
  postcode: string;
  city: string;
  phone: string;
  email: string;
  website: string;
  languages: string;
  channels: string[];
  opening_hours: OpeningHours[];
}

const POSTCODE = /^\d{5}$/;
const PHONE = /^\+?[0-9][0-9 ()/-]{2,39}$/;
const LANGUAGE = /^[a-z]{2,3}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_HOURS = 14;

/** "de, EN  ar," → ["de", "en", "ar"] (lower case, no duplicates). */
export function parseLanguages(text: string): string[] {
  const codes = text
    .split(/[\s,;]+/)
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(codes)];
}

/** Form keys → element ids; the address fields are sent as `address.street` and so on. */
const FIELD_KEYS: Record<string, string> = {
  'address.street': 'street',
  'address.postcode': 'postcode',
  'address.city': 'city',
  address: 'street',
};

/**
 * `/admin/centres/:id`: an advice centre's contact data, languages, channels and opening hours,
 * and its locations (what the public finder and the employer sheet show).
 */
export function CentrePage() {
  const tr = useAdminTranslation();
  const { tc } = tr;
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const centre = useLoad(`centre-${id}`, (signal) => getCentre(id, signal));
  const title = centre.status === 'done' ? centre.data.name : tc('centre.titlePlain');
  return (
    <section className="fd-page" data-testid="page-admin-centre">
      <PageHeading title={title} lead={tc('centre.lead')}>
        {title}
      </PageHeading>
      {notice ? <Alert tone="success" role="status" title={notice} /> : null}
      <Loaded value={centre}>
        {(data) => (
          <>
            <EntryForm
              entry={data}
              tr={tr}
              formLabel={tc('centre.formLabel')}
              back="/admin/centres"
              save={async (body) => {
                const saved = await patchCentre(data.id, body);
                navigate('/admin/centres', { state: { notice: tc('centre.saved', { name: saved.name }) } });
              }}
            >
              <p className="kern-body">
                {tc('centre.provider', { provider: data.provider, state: tr.t(`states.${data.state}`, { defaultValue: data.state }) })}
              </p>
            </EntryForm>
            <Locations centre={data} tr={tr} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** The centre's locations as the portal lists them, each with a link to change it. */
function Locations({ centre, tr }: { centre: Centre; tr: AdminTranslation }) {
  const { tc, language } = tr;
  const base = `/admin/centres/${encodeURIComponent(centre.id)}/locations`;
  return (
    <section aria-labelledby="fd-locations" className="fd-admin-locations">
      <h2 id="fd-locations" className="kern-heading-medium">
        {tc('locations.title')}
      </h2>
      <p className="kern-body">{tc('locations.lead')}</p>
      <AdminTable
        caption={tc('locations.caption', { name: centre.name })}
        testId="locations-table"
        columns={['name', 'address', 'languages'].map((c) => tc(`locations.columns.${c}`))}
      >
        {centre.locations.map((l) => (
          <tr key={l.id} className="kern-table__row" data-testid="location-row">
            <th scope="row" className="kern-table__cell">
              <Link className="kern-link" to={`${base}/${encodeURIComponent(l.id)}`}>
                {l.name}
              </Link>
            </th>
            <td className="kern-table__cell">
              {l.address.street}, {l.address.postcode} {l.address.city}
            </td>
            <td className="kern-table__cell">{l.languages.map((c) => languageName(c, language)).join(', ')}</td>
          </tr>
        ))}
      </AdminTable>
      <p className="kern-body">
        <Link className="kern-link" to={`${base}/new`}>
          {tc('locations.add')}
        </Link>
      </p>
    </section>
  );
}

/** What the centre form and the location form edit: a location has a name, a centre a website. */
export interface Entry {
  name?: string;
  address: { street: string; postcode: string; city: string };
  phone: string | null;
  email: string | null;
  website?: string | null;
  languages: string[];
  channels: string[];
  opening_hours: OpeningHours[];
}

/**
 * The form of a centre (`website` in `entry`) or of a location (`withName`): address and contact,
 * languages, channels and opening hours, checked as the admin types; `save` gets the changes.
 */
export function EntryForm({
  entry,
  tr,
  formLabel,
  back,
  save,
  withName = false,
  children,
  actions,
}: {
  entry: Entry;
  tr: AdminTranslation;
  formLabel: string;
  back: string;
  save: (body: CentrePatch & { name?: string }) => Promise<void>;
  withName?: boolean;
  /** Shown above the fields. */
  children?: ReactNode;
  /** Further buttons beside "Save". */
  actions?: ReactNode;
}) {
  const { tc, t, language } = tr;
  const idBase = useId();
  const addButton = useRef<HTMLButtonElement>(null);
  const id = (key: string) => `${idBase}-${FIELD_KEYS[key] ?? key}`;
  const withWebsite = entry.website !== undefined;

  const validate = useCallback(
    (v: Values): Errors => {
      const errors: Errors = {};
      if (withName && !v.name.trim()) errors.name = tc('validation.required');
      else if (v.name.length > 200) errors.name = tc('validation.tooLong', { max: 200 });
      if (!v.street.trim()) errors.street = tc('validation.required');
      else if (v.street.length > 200) errors.street = tc('validation.tooLong', { max: 200 });
      if (!POSTCODE.test(v.postcode.trim())) errors.postcode = tc('validation.postcode');
      if (!v.city.trim()) errors.city = tc('validation.required');
      else if (v.city.length > 100) errors.city = tc('validation.tooLong', { max: 100 });
      if (v.phone.trim() && !PHONE.test(v.phone.trim())) errors.phone = tc('validation.phone');
      if (v.email.trim() && !EMAIL.test(v.email.trim())) errors.email = tc('validation.email');
      if (v.website.trim() && !HTTP_URL.test(v.website.trim())) errors.website = tc('validation.url');
      const codes = parseLanguages(v.languages);
      const bad = codes.filter((c) => !LANGUAGE.test(c));
      if (codes.length === 0) errors.languages = tc('validation.languagesRequired');
      else if (bad.length) errors.languages = tc('validation.languageCodes', { codes: bad.join(', ') });
      else if (codes.length > 40) errors.languages = tc('validation.tooMany', { max: 40 });
      if (v.channels.length === 0) errors.channels = tc('validation.channelsRequired');
      v.opening_hours.forEach((h, i) => {
        if (!h.days.trim()) errors[`opening_hours.${i}.days`] = tc('validation.required');
        else if (h.days.length > 40) errors[`opening_hours.${i}.days`] = tc('validation.tooLong', { max: 40 });
        if (!TIME.test(h.from)) errors[`opening_hours.${i}.from`] = tc('validation.time');
        if (!TIME.test(h.to)) errors[`opening_hours.${i}.to`] = tc('validation.time');
        else if (TIME.test(h.from) && h.from >= h.to) errors[`opening_hours.${i}.to`] = tc('validation.timeOrder');
      });
      return errors;
    },
    [tc, withName],
  );

  const form = useForm<Values>({
    initial: {
      name: entry.name ?? '',
      street: entry.address.street,
      postcode: entry.address.postcode,
      city: entry.address.city,
      phone: entry.phone ?? '',
      email: entry.email ?? '',
      website: entry.website ?? '',
      languages: entry.languages.join(', '),
      channels: entry.channels,
      opening_hours: entry.opening_hours,
    },
    validate,
    fields: (k) =>
      ['name', 'street', 'postcode', 'city', 'phone', 'email', 'website', 'languages', 'channels', 'opening_hours', 'address'].includes(k) ||
      k.startsWith('address.') ||
      /^opening_hours\.\d+\.(days|from|to)$/.test(k),
    idOf: id,
    tc,
  });
  const { values } = form;
  // The server names the address fields `address.street` …; the form keeps them flat.
  const error = (key: string) => form.error(key) ?? form.error(`address.${key}`);
  const codes = parseLanguages(values.languages);

  const setHours = (update: (hours: OpeningHours[]) => OpeningHours[]) =>
    form.setValues((v) => ({ ...v, opening_hours: update(v.opening_hours) }), ['opening_hours']);

  return (
    <form
      className="fd-form fd-admin-form fd-admin-centre-form"
      noValidate
      aria-label={formLabel}
      onSubmit={form.onSubmit((v) =>
        save({
          ...(withName ? { name: v.name.trim() } : {}),
          address: { street: v.street.trim(), postcode: v.postcode.trim(), city: v.city.trim() },
          ...optionalText('phone', entry.phone, v.phone),
          ...optionalText('email', entry.email, v.email),
          ...(withWebsite ? optionalText('website', entry.website ?? null, v.website) : {}),
          languages: parseLanguages(v.languages),
          channels: CHANNELS.filter((c) => v.channels.includes(c)),
          opening_hours: v.opening_hours.map((h) => ({ days: h.days.trim(), from: h.from, to: h.to })),
        }),
      )}
    >
      {children}
      <ErrorMessage error={form.failure} />
      <OtherErrors errors={form.otherErrors} />

      <fieldset className="kern-fieldset fd-admin-fieldset">
        <legend className="kern-heading-small">{tc('centre.contact')}</legend>
        <div className="kern-fieldset__body fd-admin-grid">
          {withName ? (
            <TextField
              id={id('name')}
              label={tc('locations.name')}
              hint={tc('locations.nameHint')}
              value={values.name}
              maxLength={200}
              autoComplete="off"
              error={error('name')}
              onChange={(e) => form.set('name', e.target.value)}
            />
          ) : null}
          <TextField id={id('street')} label={tc('centre.street')} value={values.street} maxLength={200} autoComplete="off" error={error('street')} onChange={(e) => form.set('street', e.target.value)} />
          <TextField
            id={id('postcode')}
            label={tc('centre.postcode')}
            value={values.postcode}
            inputMode="numeric"
            maxLength={5}
            autoComplete="off"
            className="fd-input--short"
            error={error('postcode')}
            onChange={(e) => form.set('postcode', e.target.value)}
          />
          <TextField id={id('city')} label={tc('centre.city')} value={values.city} maxLength={100} autoComplete="off" error={error('city')} onChange={(e) => form.set('city', e.target.value)} />
          <TextField
            id={id('phone')}
            type="tel"
            label={tc('centre.phone')}
            optional={tc('form.optional')}
            value={values.phone}
            maxLength={40}
            autoComplete="off"
            error={error('phone')}
            onChange={(e) => form.set('phone', e.target.value)}
          />
          <TextField
            id={id('email')}
            type="email"
            label={tc('centre.email')}
            optional={tc('form.optional')}
            value={values.email}
            maxLength={300}
            autoComplete="off"
            spellCheck={false}
            error={error('email')}
            onChange={(e) => form.set('email', e.target.value)}
          />
          {withWebsite ? (
            <TextField
              id={id('website')}
              type="url"
              label={tc('centre.website')}
              hint={tc('form.urlHint')}
              optional={tc('form.optional')}
              value={values.website}
              maxLength={300}
              autoComplete="off"
              spellCheck={false}
              error={error('website')}
              onChange={(e) => form.set('website', e.target.value)}
            />
          ) : null}
        </div>
      </fieldset>

      <TextField
        id={id('languages')}
        label={tc('centre.languages')}
        hint={
          codes.length && codes.every((c) => LANGUAGE.test(c))
            ? `${tc('centre.languagesHint')} ${tc('centre.languagesPreview', { names: codes.map((c) => languageName(c, language)).join(', ') })}`
            : tc('centre.languagesHint')
        }
        value={values.languages}
        autoComplete="off"
        spellCheck={false}
        error={form.error('languages')}
        onChange={(e) => form.set('languages', e.target.value)}
      />

      <fieldset
        className={`kern-fieldset fd-admin-fieldset${form.error('channels') ? ' kern-fieldset--error' : ''}`}
        aria-describedby={form.error('channels') ? `${id('channels')}-error` : undefined}
      >
        <legend className="kern-label">{tc('centre.channels')}</legend>
        <div className="kern-fieldset__body fd-admin-checks">
          {CHANNELS.map((channel, index) => (
            <div className="kern-form-check" key={channel}>
              <input
                className={`kern-form-check__checkbox${form.error('channels') ? ' kern-form-check__checkbox--error' : ''}`}
                type="checkbox"
                id={index === 0 ? id('channels') : `${id('channels')}-${channel}`}
                checked={values.channels.includes(channel)}
                onChange={(e) =>
                  form.set('channels', e.target.checked ? [...values.channels, channel] : values.channels.filter((c) => c !== channel))
                }
              />
              <label className="kern-label" htmlFor={index === 0 ? id('channels') : `${id('channels')}-${channel}`}>
                {t(`directory.channel.${channel}`, { defaultValue: channel })}
              </label>
            </div>
          ))}
        </div>
        {form.error('channels') ? (
          <p className="kern-error" id={`${id('channels')}-error`} role="alert">
            <span className="kern-icon kern-icon--danger kern-icon--default" aria-hidden="true" />
            <span className="kern-body">{form.error('channels')}</span>
          </p>
        ) : null}
      </fieldset>

      <fieldset className="kern-fieldset fd-admin-fieldset" aria-describedby={`${idBase}-hours-hint`}>
        <legend className="kern-heading-small">{tc('centre.hours')}</legend>
        <div className="kern-fieldset__body fd-admin-hours-body">
        <div className="kern-hint" id={`${idBase}-hours-hint`}>
          {tc('centre.hoursHint')}
        </div>
        {form.error('opening_hours') ? (
          <p className="kern-error" role="alert">
            <span className="kern-body">{form.error('opening_hours')}</span>
          </p>
        ) : null}
        {values.opening_hours.length === 0 ? <p className="kern-body">{tc('centre.noHours')}</p> : null}
        <ol className="fd-admin-hours">
          {values.opening_hours.map((h, i) => (
            <li key={i} className="fd-admin-hours__row" data-testid="hours-row">
              <fieldset className="kern-fieldset">
                <legend className="kern-sr-only">{tc('centre.hoursRow', { n: i + 1 })}</legend>
                <div className="fd-admin-hours__fields">
                  <TextField
                    id={id(`opening_hours.${i}.days`)}
                    label={tc('centre.days')}
                    value={h.days}
                    maxLength={40}
                    autoComplete="off"
                    error={form.error(`opening_hours.${i}.days`)}
                    onChange={(e) => setHours((hours) => hours.map((x, j) => (j === i ? { ...x, days: e.target.value } : x)))}
                  />
                  <TextField
                    id={id(`opening_hours.${i}.from`)}
                    type="time"
                    label={tc('centre.from')}
                    value={h.from}
                    error={form.error(`opening_hours.${i}.from`)}
                    onChange={(e) => setHours((hours) => hours.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)))}
                  />
                  <TextField
                    id={id(`opening_hours.${i}.to`)}
                    type="time"
                    label={tc('centre.to')}
                    value={h.to}
                    error={form.error(`opening_hours.${i}.to`)}
                    onChange={(e) => setHours((hours) => hours.map((x, j) => (j === i ? { ...x, to: e.target.value } : x)))}
                  />
                  <Button
                    variant="tertiary"
                    icon="delete"
                    aria-label={tc('centre.removeHours', { n: i + 1 })}
                    onClick={() => {
                      setHours((hours) => hours.filter((_, j) => j !== i));
                      addButton.current?.focus();
                    }}
                  >
                    {tc('centre.remove')}
                  </Button>
                </div>
              </fieldset>
            </li>
          ))}
        </ol>
        {values.opening_hours.length < MAX_HOURS ? (
          <button
            type="button"
            ref={addButton}
            className="kern-btn kern-btn--secondary"
            onClick={() => {
              const index = values.opening_hours.length;
              setHours((hours) => [...hours, { days: '', from: '09:00', to: '17:00' }]);
              requestAnimationFrame(() => document.getElementById(id(`opening_hours.${index}.days`))?.focus());
            }}
          >
            <span className="kern-icon kern-icon--add" aria-hidden="true" />
            <span className="kern-label">{tc('centre.addHours')}</span>
          </button>
        ) : null}
        </div>
      </fieldset>

      <div className="fd-actions">
        <Button type="submit" busy={form.busy}>
          {tc('form.save')}
        </Button>
        {actions}
        <Link className="kern-link" to={back}>
          {t('common.cancel')}
        </Link>
      </div>
    </form>
  );
}
