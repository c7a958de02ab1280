import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import { ADVISOR_KINDS, AUDIENCES, KINDS, LANGUAGES, createEvent, getEvent, getTopics, topicName, updateEvent, type EventInput, type EventTopic } from '../api/events';
import { useEventsTranslation } from '../i18n';
import { MaterialPicker } from './KnowledgeMaterial';
import '../events.css';

const STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'];

const empty = (): EventInput => ({
  kind: '',
  title: '',
  description: '',
  languages: ['de'],
  topics: [],
  capacity: 20,
  registration_deadline: '',
  audience: 'advisors',
  partner: '',
  knowledge_ids: [],
  sessions: [{ start: '', end: '', place: '', online_url: '' }],
});

/** `/events/new` and `/events/:id/edit`: the organiser's form (a new event starts as a draft). */
export function EventFormPage() {
  const tr = useEventsTranslation();
  const { tc, t, language } = tr;
  const user = useUser();
  const { id } = useParams();
  const navigate = useNavigate();
  const [input, setInput] = useState<EventInput>(empty);
  const [loaded, setLoaded] = useState(!id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [topics, setTopics] = useState<EventTopic[]>([]);
  const errors = error instanceof ApiError ? error.fieldErrors() : {};

  useEffect(() => {
    getTopics().then(setTopics, () => setTopics([]));
  }, []);

  useEffect(() => {
    if (!id) return;
    getEvent(id).then((e) => {
      setInput({
        kind: e.kind,
        title: e.title,
        description: e.description,
        languages: e.languages,
        topics: e.topics ?? [],
        capacity: e.capacity,
        registration_deadline: e.registration_deadline,
        audience: e.audience,
        audience_state: e.audience_state ?? undefined,
        partner: e.partner,
        knowledge_ids: e.knowledge_ids ?? [],
        sessions: e.sessions.map((s) => ({ start: s.start, end: s.end, place: s.place, online_url: s.online_url })),
      });
      setLoaded(true);
    }, setError);
  }, [id]);

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || !loaded) return error ? <ErrorMessage error={error} /> : <Loader />;
  const kinds = KINDS.filter((k) => user.role !== 'advisor' || !ADVISOR_KINDS.includes(k));
  const set = (patch: Partial<EventInput>) => setInput((i) => ({ ...i, ...patch }));
  const setSession = (index: number, patch: Partial<EventInput['sessions'][number]>) =>
    setInput((i) => ({ ...i, sessions: i.sessions.map((s, n) => (n === index ? { ...s, ...patch } : s)) }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: EventInput = { ...input, capacity: Number(input.capacity) };
    if (body.audience !== 'state') delete body.audience_state;
    try {
      const saved = id ? await updateEvent(id, body) : await createEvent(body);
      navigate(`/events/${encodeURIComponent(saved.id)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const title = tc(id ? 'form.editTitle' : 'form.title');
  return (
    <section className="fd-page" data-testid="page-event-form">
      <PageHeading title={title} lead={tc('form.lead')}>
        {title}
      </PageHeading>
      {error && !(error instanceof ApiError && error.status === 422) ? <ErrorMessage error={error} /> : null}
      {error instanceof ApiError && error.status === 422 ? (
        <Alert tone="danger" role="alert" title={tc('form.invalid')}>
          <ul>
            {Object.entries(errors).map(([field, message]) => (
              <li key={field}>
                <code>{field}</code>: {message}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate>
        <SelectField id="ev-kind" label={tc('fields.kind')} value={input.kind} error={errors.kind} onChange={(e) => set({ kind: e.target.value })} required>
          <option value="">{tc('form.choose')}</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {tc(`kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField id="ev-title" label={tc('fields.title')} value={input.title} error={errors.title} onChange={(e) => set({ title: e.target.value })} required />
        <div className="kern-form-input">
          <label className="kern-label" htmlFor="ev-description">
            {tc('fields.description')}
          </label>
          <textarea id="ev-description" className="kern-form-input__input" rows={4} value={input.description} onChange={(e) => set({ description: e.target.value })} />
        </div>
        <fieldset className="kern-fieldset">
          <legend className="kern-label">{tc('fields.languages')}</legend>
          <div className="fd-ev-heads">
            {LANGUAGES.map((l) => (
              <div key={l} className="kern-form-check">
                <input
                  className="kern-form-check__checkbox"
                  type="checkbox"
                  id={`ev-lang-${l}`}
                  checked={input.languages.includes(l)}
                  onChange={(e) => set({ languages: e.target.checked ? [...input.languages, l] : input.languages.filter((x) => x !== l) })}
                />
                <label className="kern-label" htmlFor={`ev-lang-${l}`}>
                  {tc(`language.${l}`)}
                </label>
              </div>
            ))}
          </div>
          {errors.languages ? <p className="kern-error" role="alert">{errors.languages}</p> : null}
        </fieldset>
        {topics.length > 0 ? (
          <fieldset className="kern-fieldset" data-testid="event-topics">
            <legend className="kern-label">{tc('fields.topics')}</legend>
            <p className="kern-hint">{tc('fields.topicsHint')}</p>
            <div className="fd-ev-heads">
              {topics.map((topic) => (
                <div key={topic.code} className="kern-form-check">
                  <input
                    className="kern-form-check__checkbox"
                    type="checkbox"
                    id={`ev-topic-${topic.code}`}
                    checked={input.topics.includes(topic.code)}
                    onChange={(e) => set({ topics: e.target.checked ? [...input.topics, topic.code] : input.topics.filter((x) => x !== topic.code) })}
                  />
                  <label className="kern-label" htmlFor={`ev-topic-${topic.code}`}>
                    {topicName(topics, topic.code, language)}
                  </label>
                </div>
              ))}
            </div>
            {errors.topics ? <p className="kern-error" role="alert">{errors.topics}</p> : null}
          </fieldset>
        ) : null}
        <TextField id="ev-capacity" type="number" min={1} label={tc('fields.capacity')} value={String(input.capacity)} error={errors.capacity} onChange={(e) => set({ capacity: Number(e.target.value) })} required />
        <TextField id="ev-deadline" type="date" label={tc('fields.deadline')} value={input.registration_deadline} error={errors.registration_deadline} onChange={(e) => set({ registration_deadline: e.target.value })} required />
        <SelectField id="ev-audience" label={tc('fields.audience')} value={input.audience} error={errors.audience} onChange={(e) => set({ audience: e.target.value })}>
          {AUDIENCES.map((a) => (
            <option key={a} value={a}>
              {tc(`audience.${a}`)}
            </option>
          ))}
        </SelectField>
        {input.audience === 'state' ? (
          <SelectField id="ev-state" label={tc('fields.state')} value={input.audience_state ?? ''} error={errors.audience_state} onChange={(e) => set({ audience_state: e.target.value })}>
            <option value="">–</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`states.${s}`)}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField id="ev-partner" label={tc('fields.partner')} hint={tc('fields.partnerHint')} value={input.partner} onChange={(e) => set({ partner: e.target.value })} />
        <MaterialPicker value={input.knowledge_ids} onChange={(ids) => set({ knowledge_ids: ids })} language={language} tc={tc} error={errors.knowledge_ids} />
        <fieldset className="kern-fieldset">
          <legend className="kern-label">{tc('fields.sessions')}</legend>
          <p className="kern-hint">{tc('fields.sessionsHint')}</p>
          {input.sessions.map((s, i) => (
            <div key={i} className="fd-ev-session" data-testid="session-row">
              <TextField id={`ev-s${i}-start`} type="datetime-local" label={tc('fields.start', { n: i + 1 })} value={s.start} error={errors[`sessions[${i}].start`]} onChange={(e) => setSession(i, { start: e.target.value })} />
              <TextField id={`ev-s${i}-end`} type="datetime-local" label={tc('fields.end', { n: i + 1 })} value={s.end} error={errors[`sessions[${i}].end`]} onChange={(e) => setSession(i, { end: e.target.value })} />
              <TextField id={`ev-s${i}-place`} label={tc('fields.place', { n: i + 1 })} value={s.place} onChange={(e) => setSession(i, { place: e.target.value })} />
              <TextField id={`ev-s${i}-url`} type="url" label={tc('fields.onlineUrl', { n: i + 1 })} value={s.online_url} error={errors[`sessions[${i}].online_url`]} onChange={(e) => setSession(i, { online_url: e.target.value })} />
              {input.sessions.length > 1 ? (
                <Button variant="tertiary" onClick={() => set({ sessions: input.sessions.filter((_, n) => n !== i) })}>
                  {tc('form.removeSession', { n: i + 1 })}
                </Button>
              ) : null}
            </div>
          ))}
          <Button variant="secondary" onClick={() => set({ sessions: [...input.sessions, { start: '', end: '', place: '', online_url: '' }] })}>
            {tc('form.addSession')}
          </Button>
        </fieldset>
        <div className="fd-ev-actions">
          <Button type="submit" busy={busy}>
            {tc(id ? 'form.save' : 'form.create')}
          </Button>
        </div>
      </form>
    </section>
  );
}
