import { useId, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import {
  getRetention,
  getRoutingRules,
  getSettingsHistory,
  getTopics,
  NATIONALITY_GROUPS,
  putRetention,
  putRoutingRules,
  putTopics,
  readTopics,
  ROUTING_TARGETS,
  useLoad,
  type RetentionSettings,
  type RoutingRule,
  type SettingsChange,
  type Topic,
} from '../api/admin';
import { serverMessage } from '../form';
import { OidcSettingsSection } from './OidcSettingsSection';
import { useAdminTranslation, type AdminTranslation } from '../i18n';

/**
 * `/admin/settings` (admins): the retention period of closed cases, the topic taxonomy and the
 * intake routing rules, each saved as a whole, and below them the history of every change (who,
 * when, what was there before). The server audits each change and refuses what would break
 * records (a topic in use cannot be removed).
 */
export function SettingsPage() {
  const tr = useAdminTranslation();
  const [changes, setChanges] = useState(0);
  const [topicChanges, setTopicChanges] = useState(0);
  const saved = () => setChanges((n) => n + 1);
  const title = tr.tc('settings.title');
  return (
    <section className="fd-page" data-testid="page-admin-settings">
      <PageHeading title={title} lead={tr.tc('settings.lead')}>
        {title}
      </PageHeading>
      <RetentionSection tr={tr} onSaved={saved} />
      <TopicsSection
        tr={tr}
        onSaved={() => {
          saved();
          setTopicChanges((n) => n + 1);
        }}
      />
      {/* Reloaded when the topics change: a new topic can be chosen in a rule at once. */}
      <RulesSection tr={tr} onSaved={saved} topicsVersion={topicChanges} />
      <OidcSettingsSection tr={tr} onSaved={saved} />
      <HistorySection tr={tr} version={changes} />
    </section>
  );
}

type SectionProps = { tr: AdminTranslation; onSaved: () => void; onReload?: () => void };

/** The server's field messages of this page in the UI language (the rest via serverMessage). */
function settingsMessage(message: string, tc: TFunction): string {
  let m = /^must keep the topic "([^"]+)": (\d+) cases or consultations use it/.exec(message);
  if (m) return tc('settings.topics.inUse', { code: m[1], count: Number(m[2]) });
  m = /^must keep the topic "([^"]+)": a routing rule uses it/.exec(message);
  if (m) return tc('settings.topics.inRule', { code: m[1] });
  if (/lower-case letters/.test(message)) return tc('settings.topics.codeInvalid');
  if (/^is used by another (topic|rule)$/.test(message)) return tc('settings.duplicate');
  if (/^is not a topic code/.test(message)) return tc('settings.rules.unknownTopic');
  if (/^must be between \d+ and \d+ years$|^must be (at least|at most)/.test(message)) return tc('settings.retention.range');
  return serverMessage(message, tc);
}

/** A failed save: the field errors of a 422 (translated, with their field), else the error itself. */
function SaveError({ error, tr, onReload }: { error: unknown; tr: AdminTranslation; onReload?: () => void }) {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 412) {
    // Someone else saved this list since the page was loaded: nothing of this save was stored.
    return (
      <Alert tone="warning" role="alert" title={tr.tc('settings.conflict.title')} headingLevel={3}>
        <p className="kern-body" data-testid="settings-conflict">
          {tr.tc('settings.conflict.text')}
        </p>
        {onReload ? (
          <div className="fd-actions">
            <Button type="button" variant="secondary" icon="autorenew" onClick={onReload}>
              {tr.tc('settings.conflict.reload')}
            </Button>
          </div>
        ) : null}
      </Alert>
    );
  }
  if (error instanceof ApiError && error.status === 422 && error.problem?.errors?.length) {
    return (
      <Alert tone="danger" role="alert" title={tr.tc('settings.notSaved')} headingLevel={3}>
        <ul className="kern-body" data-testid="settings-errors">
          {error.problem.errors.map((e, i) => (
            <li key={i}>{settingsMessage(e.message, tr.tc)}</li>
          ))}
        </ul>
      </Alert>
    );
  }
  return <ErrorMessage error={error} />;
}

function useSave(onSaved: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = (action: () => Promise<string>) => async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, notice, run };
}

function RetentionSection({ tr, onSaved }: SectionProps) {
  const { tc } = tr;
  const id = useId();
  const loaded = useLoad('settings-retention', getRetention);
  return (
    <section className="fd-admin-settings__section" aria-labelledby={`${id}-h`}>
      <h2 className="kern-heading-medium" id={`${id}-h`}>
        {tc('settings.retention.title')}
      </h2>
      {loaded.status === 'loading' ? <Loader /> : null}
      {loaded.status === 'error' ? <ErrorMessage error={loaded.error} /> : null}
      {loaded.status === 'done' ? (
        <RetentionForm key={loaded.data.etag} tr={tr} onSaved={onSaved} onReload={() => { loaded.reload(); onSaved(); }} initial={loaded.data.data} etag={loaded.data.etag} />
      ) : null}
    </section>
  );
}

function RetentionForm({ tr, onSaved, onReload, initial, etag: loadedEtag }: SectionProps & { initial: RetentionSettings; etag: string | null }) {
  const { tc, language } = tr;
  const [current, setCurrent] = useState(initial);
  const [etag, setEtag] = useState(loadedEtag);
  const [years, setYears] = useState(String(initial.retention_years));
  const save = useSave(onSaved);
  const valid = /^\d+$/.test(years) && Number(years) >= 1 && Number(years) <= 10;
  const [touched, setTouched] = useState(false);
  return (
    <form
      className="fd-form fd-admin-form"
      noValidate
      aria-label={tc('settings.retention.title')}
      onSubmit={(event) => {
        event.preventDefault();
        setTouched(true);
        if (!valid) return;
        void save.run(async () => {
          const { data: next, etag: fresh } = await putRetention(Number(years), etag);
          setCurrent(next);
          setEtag(fresh);
          return tc('settings.retention.saved', { count: next.retention_years });
        })();
      }}
    >
      <p className="kern-body">
        {current.from_setting && current.updated_at
          ? tc('settings.retention.current', {
              count: current.retention_years,
              name: current.updated_by_name ?? '—',
              date: new Date(current.updated_at).toLocaleDateString(language),
            })
          : tc('settings.retention.default', { count: current.default_years })}
      </p>
      <TextField
        label={tc('settings.retention.years')}
        hint={tc('settings.retention.hint')}
        inputMode="numeric"
        value={years}
        maxLength={2}
        error={touched && !valid ? tc('settings.retention.range') : null}
        onChange={(e) => setYears(e.target.value)}
      />
      <SaveError error={save.error} tr={tr} onReload={onReload} />
      {save.notice ? <Alert tone="success" role="status" title={save.notice} headingLevel={3} /> : null}
      <div className="fd-actions">
        <Button type="submit" busy={save.busy}>
          {tc('settings.retention.save')}
        </Button>
      </div>
    </form>
  );
}

function move<T>(list: T[], index: number, by: number): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  copy.splice(to, 0, item!);
  return copy;
}

function TopicsSection({ tr, onSaved }: SectionProps) {
  const { tc } = tr;
  const id = useId();
  const loaded = useLoad('settings-topics', readTopics);
  return (
    <section className="fd-admin-settings__section" aria-labelledby={`${id}-h`}>
      <h2 className="kern-heading-medium" id={`${id}-h`}>
        {tc('settings.topics.title')}
      </h2>
      <p className="kern-body">{tc('settings.topics.lead')}</p>
      {loaded.status === 'loading' ? <Loader /> : null}
      {loaded.status === 'error' ? <ErrorMessage error={loaded.error} /> : null}
      {loaded.status === 'done' ? (
        <TopicsForm key={loaded.data.etag} tr={tr} onSaved={onSaved} onReload={() => { loaded.reload(); onSaved(); }} initial={loaded.data.data} etag={loaded.data.etag} />
      ) : null}
    </section>
  );
}

function TopicsForm({ tr, onSaved, onReload, initial, etag: loadedEtag }: SectionProps & { initial: Topic[]; etag: string | null }) {
  const { tc } = tr;
  const id = useId();
  const [topics, setTopics] = useState(initial);
  const [etag, setEtag] = useState(loadedEtag);
  const [draft, setDraft] = useState({ code: '', de: '', en: '' });
  const [draftError, setDraftError] = useState<string | null>(null);
  const save = useSave(onSaved);
  const update = (index: number, change: (t: Topic) => Topic) => setTopics((list) => list.map((t, i) => (i === index ? change(t) : t)));
  const add = () => {
    const code = draft.code.trim();
    if (!/^[a-z][a-z0-9_]{1,39}$/.test(code)) return setDraftError(tc('settings.topics.codeInvalid'));
    if (topics.some((t) => t.code === code)) return setDraftError(tc('settings.duplicate'));
    if (!draft.de.trim() || !draft.en.trim()) return setDraftError(tc('settings.topics.labelsRequired'));
    setTopics((list) => [...list, { code, labels: { de: draft.de.trim(), en: draft.en.trim() }, in_scope: true }]);
    setDraft({ code: '', de: '', en: '' });
    setDraftError(null);
  };
  return (
    <form
      className="fd-form fd-admin-settings__wide"
      noValidate
      aria-label={tc('settings.topics.title')}
      onSubmit={save.run(async () => {
        const saved = await putTopics(topics, etag);
        setTopics(saved.data);
        setEtag(saved.etag);
        return tc('settings.topics.saved');
      })}
    >
      <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={tc('settings.topics.caption')}>
        <table className="kern-table kern-table--striped fd-admin-table" data-testid="topics-table">
          <caption className="kern-sr-only">{tc('settings.topics.caption')}</caption>
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              {['code', 'de', 'en', 'inScope', 'actions'].map((c) => (
                <th key={c} scope="col" className="kern-table__header">
                  {tc(`settings.topics.columns.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {topics.map((t, i) => (
              <tr key={t.code} className="kern-table__row" data-testid="topic-row" data-code={t.code}>
                <th scope="row" className="kern-table__cell">
                  <code>{t.code}</code>
                </th>
                <td className="kern-table__cell">
                  <input
                    className="kern-form-input__input fd-admin-settings__label-input"
                    aria-label={tc('settings.topics.labelDe', { code: t.code })}
                    value={t.labels.de}
                    maxLength={1000}
                    onChange={(e) => update(i, (x) => ({ ...x, labels: { ...x.labels, de: e.target.value } }))}
                  />
                </td>
                <td className="kern-table__cell">
                  <input
                    className="kern-form-input__input fd-admin-settings__label-input"
                    aria-label={tc('settings.topics.labelEn', { code: t.code })}
                    value={t.labels.en}
                    maxLength={1000}
                    onChange={(e) => update(i, (x) => ({ ...x, labels: { ...x.labels, en: e.target.value } }))}
                  />
                </td>
                <td className="kern-table__cell">
                  <div className="kern-form-check">
                    <input
                      className="kern-form-check__checkbox"
                      type="checkbox"
                      id={`${id}-scope-${t.code}`}
                      checked={t.in_scope}
                      onChange={(e) => update(i, (x) => ({ ...x, in_scope: e.target.checked }))}
                    />
                    <label className="kern-label" htmlFor={`${id}-scope-${t.code}`}>
                      <span className="kern-sr-only">{tc('settings.topics.inScopeOf', { code: t.code })}</span>
                      <span aria-hidden="true">{tc('settings.topics.inScopeShort')}</span>
                    </label>
                  </div>
                </td>
                <td className="kern-table__cell fd-admin-settings__row-actions">
                  <Button variant="tertiary" icon="arrow-up" disabled={i === 0} aria-label={tc('settings.up', { name: t.code })} onClick={() => setTopics((l) => move(l, i, -1))}>
                    <span className="kern-sr-only">{tc('settings.up', { name: t.code })}</span>
                  </Button>
                  <Button
                    variant="tertiary"
                    icon="arrow-down"
                    disabled={i === topics.length - 1}
                    aria-label={tc('settings.down', { name: t.code })}
                    onClick={() => setTopics((l) => move(l, i, 1))}
                  >
                    <span className="kern-sr-only">{tc('settings.down', { name: t.code })}</span>
                  </Button>
                  <Button variant="tertiary" aria-label={tc('settings.removeNamed', { name: t.code })} onClick={() => setTopics((l) => l.filter((_, j) => j !== i))}>
                    {tc('settings.remove')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <fieldset className="kern-fieldset fd-admin-fieldset">
        <legend className="kern-label">{tc('settings.topics.new')}</legend>
        <div className="kern-fieldset__body fd-admin-grid">
          <TextField label={tc('settings.topics.columns.code')} hint={tc('settings.topics.codeHint')} value={draft.code} maxLength={40} onChange={(e) => setDraft({ ...draft, code: e.target.value })} />
          <TextField label={tc('settings.topics.columns.de')} value={draft.de} maxLength={1000} onChange={(e) => setDraft({ ...draft, de: e.target.value })} />
          <TextField label={tc('settings.topics.columns.en')} value={draft.en} maxLength={1000} onChange={(e) => setDraft({ ...draft, en: e.target.value })} />
        </div>
        {draftError ? (
          <p className="kern-error" role="alert">
            <span className="kern-body">{draftError}</span>
          </p>
        ) : null}
        <Button variant="secondary" onClick={add}>
          {tc('settings.topics.add')}
        </Button>
      </fieldset>
      <SaveError error={save.error} tr={tr} onReload={onReload} />
      {save.notice ? <Alert tone="success" role="status" title={save.notice} headingLevel={3} /> : null}
      <div className="fd-actions">
        <Button type="submit" busy={save.busy}>
          {tc('settings.topics.save')}
        </Button>
      </div>
    </form>
  );
}

function RulesSection({ tr, onSaved, topicsVersion }: SectionProps & { topicsVersion: number }) {
  const { tc } = tr;
  const id = useId();
  const loaded = useLoad(`settings-rules-${topicsVersion}`, (signal) => Promise.all([getRoutingRules(signal), getTopics(signal)]));
  return (
    <section className="fd-admin-settings__section" aria-labelledby={`${id}-h`}>
      <h2 className="kern-heading-medium" id={`${id}-h`}>
        {tc('settings.rules.title')}
      </h2>
      <p className="kern-body">{tc('settings.rules.lead')}</p>
      {loaded.status === 'loading' ? <Loader /> : null}
      {loaded.status === 'error' ? <ErrorMessage error={loaded.error} /> : null}
      {loaded.status === 'done' ? (
        <RulesForm
          key={`${topicsVersion}:${loaded.data[0].etag}`}
          tr={tr}
          onSaved={onSaved}
          onReload={() => { loaded.reload(); onSaved(); }}
          initial={loaded.data[0].data}
          etag={loaded.data[0].etag}
          topics={loaded.data[1]}
        />
      ) : null}
    </section>
  );
}

function topicLabel(topics: Topic[], code: string, language: string): string {
  const t = topics.find((x) => x.code === code);
  return t ? (language === 'de' ? t.labels.de : t.labels.en) : code;
}

function RulesForm({ tr, onSaved, onReload, initial, etag: loadedEtag, topics }: SectionProps & { initial: RoutingRule[]; etag: string | null; topics: Topic[] }) {
  const { tc, language } = tr;
  const id = useId();
  const [rules, setRules] = useState(initial);
  const [etag, setEtag] = useState(loadedEtag);
  const save = useSave(onSaved);
  const update = (index: number, change: (r: RoutingRule) => RoutingRule) => setRules((list) => list.map((r, i) => (i === index ? change(r) : r)));
  const condition = (r: RoutingRule) => {
    const parts = [tc(`settings.nationality.${r.nationality}`)];
    if (r.topics.length) parts.push(tc('settings.rules.topicsAny', { topics: r.topics.map((c) => topicLabel(topics, c, language)).join(', ') }));
    if (r.in_scope_topics) parts.push(tc('settings.rules.inScopeTopics'));
    if (r.flags.length) parts.push(tc('settings.rules.flags', { count: r.flags.length }));
    return parts.join(' · ');
  };
  return (
    <form
      className="fd-form fd-admin-settings__wide"
      noValidate
      aria-label={tc('settings.rules.title')}
      onSubmit={save.run(async () => {
        const saved = await putRoutingRules(rules, etag);
        setRules(saved.data);
        setEtag(saved.etag);
        return tc('settings.rules.saved');
      })}
    >
      <ol className="fd-admin-settings__rules" data-testid="rules-list">
        {rules.map((r, i) => (
          <li key={r.id} className="fd-admin-settings__rule" data-testid="rule" data-rule={r.id}>
            <fieldset className="kern-fieldset">
              <legend className="kern-label">
                {tc('settings.rules.legend', { n: i + 1, target: tc(`settings.targets.${r.target}`, { defaultValue: r.target }) })}
              </legend>
              <div className="kern-fieldset__body">
                <p className="kern-body">
                  <span className="fd-admin-muted">{tc('settings.rules.when')}</span> {condition(r)}
                  <br />
                  <span className="fd-admin-muted">{tc('settings.rules.id')}</span> <code>{r.id}</code>
                </p>
                <div className="fd-admin-checks">
                  <div className="kern-form-check">
                    <input className="kern-form-check__checkbox" type="checkbox" id={`${id}-${r.id}-enabled`} checked={r.enabled} onChange={(e) => update(i, (x) => ({ ...x, enabled: e.target.checked }))} />
                    <label className="kern-label" htmlFor={`${id}-${r.id}-enabled`}>
                      {tc('settings.rules.enabled')}
                    </label>
                  </div>
                  <div className="kern-form-check">
                    <input className="kern-form-check__checkbox" type="checkbox" id={`${id}-${r.id}-stop`} checked={r.stop} onChange={(e) => update(i, (x) => ({ ...x, stop: e.target.checked }))} />
                    <label className="kern-label" htmlFor={`${id}-${r.id}-stop`}>
                      {tc('settings.rules.stop')}
                    </label>
                  </div>
                </div>
                <div className="fd-admin-grid">
                  <TextField label={tc('settings.rules.reasonDe')} value={r.reason.de} maxLength={1000} onChange={(e) => update(i, (x) => ({ ...x, reason: { ...x.reason, de: e.target.value } }))} />
                  <TextField label={tc('settings.rules.reasonEn')} value={r.reason.en} maxLength={1000} onChange={(e) => update(i, (x) => ({ ...x, reason: { ...x.reason, en: e.target.value } }))} />
                </div>
                <div className="fd-actions">
                  <Button variant="tertiary" icon="arrow-up" disabled={i === 0} onClick={() => setRules((l) => move(l, i, -1))}>
                    {tc('settings.earlier')}
                  </Button>
                  <Button variant="tertiary" icon="arrow-down" disabled={i === rules.length - 1} onClick={() => setRules((l) => move(l, i, 1))}>
                    {tc('settings.later')}
                  </Button>
                  <Button variant="tertiary" onClick={() => setRules((l) => l.filter((_, j) => j !== i))}>
                    {tc('settings.rules.remove')}
                  </Button>
                </div>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <NewRule tr={tr} topics={topics} existing={rules} onAdd={(rule) => setRules((l) => [...l, rule])} />
      <SaveError error={save.error} tr={tr} onReload={onReload} />
      {save.notice ? <Alert tone="success" role="status" title={save.notice} headingLevel={3} /> : null}
      <div className="fd-actions">
        <Button type="submit" busy={save.busy}>
          {tc('settings.rules.save')}
        </Button>
      </div>
    </form>
  );
}

function NewRule({ tr, topics, existing, onAdd }: { tr: AdminTranslation; topics: Topic[]; existing: RoutingRule[]; onAdd: (r: RoutingRule) => void }) {
  const { tc, language } = tr;
  const id = useId();
  const empty = { id: '', target: 'centre', nationality: 'any', topics: [] as string[], de: '', en: '' };
  const [draft, setDraft] = useState(empty);
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const ruleId = draft.id.trim();
    if (!ruleId || ruleId.length > 64) return setError(tc('settings.rules.idRequired'));
    if (existing.some((r) => r.id === ruleId)) return setError(tc('settings.duplicate'));
    if (!draft.de.trim() || !draft.en.trim()) return setError(tc('settings.rules.reasonRequired'));
    onAdd({
      id: ruleId,
      nationality: draft.nationality,
      topics: draft.topics,
      in_scope_topics: false,
      flags: [],
      target: draft.target,
      organisation_id: null,
      stop: false,
      enabled: true,
      reason: { de: draft.de.trim(), en: draft.en.trim() },
    });
    setDraft(empty);
    setError(null);
  };
  return (
    <fieldset className="kern-fieldset fd-admin-fieldset" data-testid="new-rule">
      <legend className="kern-label">{tc('settings.rules.new')}</legend>
      <div className="kern-fieldset__body">
        <div className="fd-admin-grid">
          <TextField label={tc('settings.rules.id')} hint={tc('settings.rules.idHint')} value={draft.id} maxLength={64} onChange={(e) => setDraft({ ...draft, id: e.target.value })} />
          <SelectField label={tc('settings.rules.target')} value={draft.target} onChange={(e) => setDraft({ ...draft, target: e.target.value })}>
            {ROUTING_TARGETS.map((t) => (
              <option key={t} value={t}>
                {tc(`settings.targets.${t}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={tc('settings.rules.nationality')} value={draft.nationality} onChange={(e) => setDraft({ ...draft, nationality: e.target.value })}>
            {NATIONALITY_GROUPS.map((n) => (
              <option key={n} value={n}>
                {tc(`settings.nationality.${n}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset className="kern-fieldset fd-admin-fieldset">
          <legend className="kern-label">{tc('settings.rules.topics')}</legend>
          <div className="kern-fieldset__body fd-admin-checks">
            {topics.map((t) => (
              <div className="kern-form-check" key={t.code}>
                <input
                  className="kern-form-check__checkbox"
                  type="checkbox"
                  id={`${id}-topic-${t.code}`}
                  checked={draft.topics.includes(t.code)}
                  onChange={(e) =>
                    setDraft({ ...draft, topics: e.target.checked ? [...draft.topics, t.code] : draft.topics.filter((c) => c !== t.code) })
                  }
                />
                <label className="kern-label" htmlFor={`${id}-topic-${t.code}`}>
                  {topicLabel(topics, t.code, language)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div className="fd-admin-grid">
          <TextField label={tc('settings.rules.reasonDe')} value={draft.de} maxLength={1000} onChange={(e) => setDraft({ ...draft, de: e.target.value })} />
          <TextField label={tc('settings.rules.reasonEn')} value={draft.en} maxLength={1000} onChange={(e) => setDraft({ ...draft, en: e.target.value })} />
        </div>
        {error ? (
          <p className="kern-error" role="alert">
            <span className="kern-body">{error}</span>
          </p>
        ) : null}
        <Button variant="secondary" onClick={add}>
          {tc('settings.rules.add')}
        </Button>
      </div>
    </fieldset>
  );
}

/** What changed, in words: added, removed and changed entries (by code or id), a new order. */
export function describeChange(change: SettingsChange, tc: TFunction): string[] {
  if (change.kind === 'retention') {
    const before = (change.before as { retention_years: number }).retention_years;
    const after = (change.after as { retention_years: number }).retention_years;
    return [tc('settings.history.retention', { before, after })];
  }
  const key = change.kind === 'topics' ? 'code' : 'id';
  const before = (change.before as Record<string, unknown>[]) ?? [];
  const after = (change.after as Record<string, unknown>[]) ?? [];
  const name = (x: Record<string, unknown>) => String(x[key]);
  const beforeNames = before.map(name);
  const afterNames = after.map(name);
  const added = afterNames.filter((n) => !beforeNames.includes(n));
  const removed = beforeNames.filter((n) => !afterNames.includes(n));
  const comparable = (x: Record<string, unknown>) => JSON.stringify({ ...x, position: undefined });
  const changed = after
    .filter((a) => {
      const b = before.find((x) => name(x) === name(a));
      return b !== undefined && comparable(b) !== comparable(a);
    })
    .map(name);
  const kept = afterNames.filter((n) => beforeNames.includes(n));
  const reordered = kept.join() !== beforeNames.filter((n) => afterNames.includes(n)).join();
  const out: string[] = [];
  if (added.length) out.push(tc('settings.history.added', { names: added.join(', ') }));
  if (removed.length) out.push(tc('settings.history.removed', { names: removed.join(', ') }));
  if (changed.length) out.push(tc('settings.history.changed', { names: changed.join(', ') }));
  if (reordered) out.push(tc('settings.history.reordered'));
  if (!out.length) out.push(tc('settings.history.unchanged'));
  return out;
}

function HistorySection({ tr, version }: { tr: AdminTranslation; version: number }) {
  const { tc, language } = tr;
  const id = useId();
  const history = useLoad(`settings-history-${version}`, getSettingsHistory);
  return (
    <section className="fd-admin-settings__section" aria-labelledby={`${id}-h`}>
      <h2 className="kern-heading-medium" id={`${id}-h`}>
        {tc('settings.history.title')}
      </h2>
      <p className="kern-body">{tc('settings.history.lead')}</p>
      {history.status === 'loading' ? <Loader /> : null}
      {history.status === 'error' ? <ErrorMessage error={history.error} /> : null}
      {history.status === 'done' && history.data.length === 0 ? <p className="kern-body">{tc('settings.history.empty')}</p> : null}
      {history.status === 'done' && history.data.length ? (
        <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={tc('settings.history.title')}>
          <table className="kern-table kern-table--striped fd-admin-table" data-testid="settings-history">
            <caption className="kern-sr-only">{tc('settings.history.title')}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                {['when', 'kind', 'who', 'what'].map((c) => (
                  <th key={c} scope="col" className="kern-table__header">
                    {tc(`settings.history.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {history.data.map((c) => (
                <tr key={c.id} className="kern-table__row" data-testid="settings-change" data-kind={c.kind}>
                  <td className="kern-table__cell">{new Date(c.changed_at).toLocaleString(language)}</td>
                  <td className="kern-table__cell">{tc(`settings.history.kinds.${c.kind}`)}</td>
                  <td className="kern-table__cell">{c.changed_by_name ?? '—'}</td>
                  <td className="kern-table__cell">
                    {describeChange(c, tc).map((line) => (
                      <div key={line}>{line}</div>
                    ))}
                    {c.kind !== 'retention' ? (
                      <details>
                        <summary>{tc('settings.history.before')}</summary>
                        <pre className="fd-admin-settings__json">{JSON.stringify(c.before, null, 2)}</pre>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
