import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import { canAccess } from '../../../lib/roles';
import { calculate } from '../api/calculate';
import { formatDate, today } from '../dates';
import {
  buildInput,
  checkPath,
  DEFINITIONS,
  initialState,
  isCalculatorName,
  knownPaths,
  type CalculatorDef,
  type FormState,
  type Problem,
} from '../definitions';
import { placeErrors, serverMessageKey } from '../errors';
import { useCalculatorsTranslation } from '../i18n';
import { sectorOfWzSection } from '../sector';
import { getCaseForCalculator } from '../api/cases';
import { caseValues, prefill } from '../prefill';
import { AttachDeadline } from './AttachDeadline';
import { CalculatorForm } from './CalculatorForm';
import { ResultView, type Computation } from './ResultView';
import { WageClaimLetter } from './WageClaimLetter';
import '../calculators.css';

/** `/calculators/:name`: the form of one calculator and its result. */
export function CalculatorPage() {
  const { name } = useParams();
  const { tc, ready, failed } = useCalculatorsTranslation();
  if (failed) return <ErrorMessage error={new Error('locale')} />;
  if (!ready) return <Loader />;
  if (!isCalculatorName(name)) {
    return (
      <section className="fd-page">
        <PageHeading title={tc('form.unknown')}>{tc('form.unknown')}</PageHeading>
        <p className="kern-body">
          <Link className="kern-link" to="/calculators">
            {tc('form.back')}
          </Link>
        </p>
      </section>
    );
  }
  // A new form (and result) for each calculator.
  return <Calculator key={name} def={DEFINITIONS[name]} />;
}

function Calculator({ def }: { def: CalculatorDef }) {
  const { tc, t, language } = useCalculatorsTranslation();
  const user = useUser();
  const [params] = useSearchParams();
  const caseId = params.get('case');
  // Opened from a case: the federal state (of the workplace, else the centre's) at once, then
  // the case's employment (dates, notice, working days) and the client's sector.
  const [state, setState] = useState<FormState>(() => {
    const initial = initialState(def);
    const hasState = [...def.fields, ...(def.extra ?? [])].some((f) => f.name === 'state');
    if (caseId && hasState && !initial.values.state && user.state) initial.values.state = user.state;
    return initial;
  });
  const [fromCase, setFromCase] = useState<{ number: string; employer: string | null; filled: string[] } | null>(null);
  useEffect(() => {
    if (!caseId || !canAccess(user.role, 'cases')) return;
    getCaseForCalculator(caseId).then(
      (c) => {
        const values = caseValues(def, c.employment, user.state ?? null, language);
        // The client's sector (WZ 2008 section) chooses the working-time rules of § 10 ArbZG.
        const sector = sectorOfWzSection(c.client?.sector ?? null);
        if (sector && def.fields.some((f) => f.name === 'sector')) values.sector = sector;
        let filled: string[] = [];
        setState((s) => {
          const result = prefill(def, s, values);
          filled = result.filled;
          return result.state;
        });
        setFromCase({ number: c.number, employer: c.employment?.employer ?? c.client?.employer ?? null, filled });
      },
      () => setFromCase(null),
    );
    // The language only formats the decimals; a change of language does not refill the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caseId, user.role, def]);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [requestError, setRequestError] = useState<unknown>(null);
  const [computation, setComputation] = useState<Computation | null>(null);
  const [view, setView] = useState<'calculator' | 'letter'>('calculator');
  const resultHeading = useRef<boolean>(false);
  const controller = useRef<AbortController | null>(null);

  const typingTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const timers = typingTimers.current;
    return () => {
      controller.current?.abort();
      for (const timer of timers.values()) clearTimeout(timer);
    };
  }, []);

  // After a calculation, move the focus to the result so that it is read out.
  useEffect(() => {
    if (computation && resultHeading.current) {
      resultHeading.current = false;
      document.getElementById('calc-result-title')?.focus();
    }
  }, [computation]);

  const problemText = useCallback(
    (problem: Problem) => tc(`validation.${problem.code}`, problem.values ?? {}),
    [tc],
  );
  const serverText = useCallback(
    (message: string) => {
      if (language !== 'de') return message;
      const known = serverMessageKey(message);
      return known ? tc(`server.${known.key}`, known.values) : message;
    },
    [language, tc],
  );

  const errorFor = useCallback(
    (path: string): string | null => {
      if (serverErrors[path]) return serverText(serverErrors[path]);
      if (!submitted && !touched.has(path)) return null;
      const problem = checkPath(def, state, path);
      return problem ? problemText(problem) : null;
    },
    [def, problemText, serverErrors, serverText, state, submitted, touched],
  );

  const paths = useMemo(() => knownPaths(def, state), [def, state]);
  const summary = useMemo(() => {
    if (!submitted) return [];
    const out: { path: string; message: string }[] = [];
    for (const path of paths) {
      const message = errorFor(path);
      if (message) out.push({ path, message });
    }
    return out;
  }, [errorFor, paths, submitted]);

  function clearServerError(path: string) {
    if (serverErrors[path]) {
      setServerErrors((errors) => {
        const next = { ...errors };
        delete next[path];
        return next;
      });
    }
  }

  function touch(path: string) {
    setTouched((set) => (set.has(path) ? set : new Set(set).add(path)));
  }
  /**
   * Checks a field as the person types: at once when it already shows an error (so that the
   * error goes away as soon as the value is right), otherwise after a short pause in typing, so
   * that a half-typed amount ("1.234,") is not called wrong.
   */
  function typed(path: string) {
    const timers = typingTimers.current;
    clearTimeout(timers.get(path));
    if (touched.has(path)) return;
    timers.set(path, setTimeout(() => touch(path), 800));
  }
  function onValue(name: string, value: string) {
    setState((s) => ({ ...s, values: { ...s.values, [name]: value } }));
    clearServerError(name);
    typed(name);
  }
  function onRowValue(row: number, name: string, value: string) {
    const path = `${def.group!.name}[${row}].${name}`;
    setState((s) => ({ ...s, rows: s.rows.map((r, i) => (i === row ? { ...r, [name]: value } : r)) }));
    clearServerError(path);
    clearServerError(def.group!.name);
    typed(path);
  }
  function onBlur(path: string) {
    clearTimeout(typingTimers.current.get(path));
    touch(path);
  }
  function onAddRow() {
    setState((s) => ({ ...s, rows: [...s.rows, def.group!.newRow(s.rows[s.rows.length - 1])] }));
    // Focus the first input of the new row once it is there.
    const index = state.rows.length;
    requestAnimationFrame(() => document.getElementById(`calc-${def.group!.name}-${index}-${def.group!.fields[0]!.name}`)?.focus());
  }
  function onRemoveRow(row: number) {
    setState((s) => ({ ...s, rows: s.rows.filter((_, i) => i !== row) }));
    // Row numbers shift: errors of the old rows no longer point at the right inputs.
    setServerErrors({});
    clearTypingTimers();
    setTouched(new Set());
  }
  function clearTypingTimers() {
    for (const timer of typingTimers.current.values()) clearTimeout(timer);
    typingTimers.current.clear();
  }
  function onReset() {
    clearTypingTimers();
    setState(initialState(def));
    setTouched(new Set());
    setSubmitted(false);
    setServerErrors({});
    setGeneral([]);
    setComputation(null);
    setRequestError(null);
  }

  async function onSubmit() {
    setSubmitted(true);
    setRequestError(null);
    setGeneral([]);
    const built = buildInput(def, state);
    if (!built.ok) {
      requestAnimationFrame(() => document.getElementById('calc-error-summary')?.focus());
      return;
    }
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setBusy(true);
    const snapshot = state;
    try {
      const result = await calculate(def.name, built.input, abort.signal);
      setServerErrors({});
      setComputation({ result, snapshot, input: built.input, on: today() });
      resultHeading.current = true;
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error instanceof ApiError && error.status === 422 && error.problem?.errors?.length) {
        const placed = placeErrors(error.problem.errors, knownPaths(def, snapshot));
        setServerErrors(placed.fields);
        setGeneral(placed.general.map(serverText));
        setComputation(null);
        requestAnimationFrame(() => document.getElementById('calc-error-summary')?.focus());
      } else {
        setRequestError(error);
      }
    } finally {
      if (controller.current === abort) setBusy(false);
    }
  }

  const title = tc(`calc.${def.name}.title`);
  const current = buildInput(def, state);
  const stale = Boolean(computation) && (!current.ok || JSON.stringify(current.input) !== JSON.stringify(computation!.input));

  if (view === 'letter' && computation) {
    return (
      <section className="fd-page fd-calc-page" data-testid={`page-calculator-${def.name}`}>
        <nav className="fd-calc-screen-only" aria-label={tc('overview.title')}>
          <Link className="kern-link" to="/calculators">
            {tc('form.back')}
          </Link>
        </nav>
        <div className="fd-calc-screen-only">
          <PageHeading title={tc('letter.title')}>{title}</PageHeading>
        </div>
        <WageClaimLetter computation={computation} tc={tc} onBack={() => setView('calculator')} caseId={fromCase ? caseId : null} employer={fromCase?.employer ?? null} />
      </section>
    );
  }

  const dated = computation ? dateResult(def.name, computation.result, computation.input) : null;
  const shortfall = def.name === 'minimum-wage' && computation && Number(computation.result.total_shortfall_cents) > 0;

  return (
    <section className="fd-page fd-calc-page" data-testid={`page-calculator-${def.name}`}>
      <nav className="fd-calc-screen-only" aria-label={tc('overview.title')}>
        <Link className="kern-link fd-calc-back" to="/calculators">
          <span className="kern-icon kern-icon--chevron-left kern-icon--small" aria-hidden="true" />
          {tc('form.back')}
        </Link>
      </nav>
      <div className="fd-calc-screen-only">
        <PageHeading title={title} lead={tc(`calc.${def.name}.lead`)}>
          {title}
        </PageHeading>
        {fromCase && caseId ? (
          <p className="kern-body" data-testid="calculator-from-case">
            <Link className="kern-link" to={`/cases/${encodeURIComponent(caseId)}`}>
              {tc('attach.fromCase', { number: fromCase.number })}
            </Link>
            {fromCase.filled.length ? (
              <>
                {' '}
                <span data-testid="calculator-prefilled">
                  {tc('attach.prefilled', { fields: fromCase.filled.map((f) => tc(`fields.${f}.label`, { defaultValue: f })).join(', ') })}
                </span>
              </>
            ) : (
              <> {tc('attach.prefilledNone')}</>
            )}
          </p>
        ) : null}
      </div>
      <div className="fd-calc-layout">
        <div className="fd-calc-layout__form fd-calc-screen-only">
          <CalculatorForm
            def={def}
            state={state}
            errorFor={errorFor}
            summary={summary}
            general={general}
            busy={busy}
            tc={tc}
            t={t}
            language={language}
            onValue={onValue}
            onRowValue={onRowValue}
            onBlur={onBlur}
            onAddRow={onAddRow}
            onRemoveRow={onRemoveRow}
            onSubmit={() => void onSubmit()}
            onReset={onReset}
          />
          {requestError ? <ErrorMessage error={requestError} /> : null}
        </div>
        {computation ? (
          <div className="fd-calc-layout__result">
            <ResultView def={def} computation={computation} stale={stale} tc={tc} t={t} language={language}>
              {shortfall ? (
                <div className="fd-actions fd-calc-screen-only">
                  <button type="button" className="kern-btn kern-btn--primary" onClick={() => setView('letter')}>
                    <span className="kern-icon kern-icon--mail" aria-hidden="true" />
                    <span className="kern-label">{tc('letter.open')}</span>
                  </button>
                </div>
              ) : null}
              {dated && canAccess(user.role, 'cases') ? (
                <AttachDeadline
                  key={`${dated.kind}:${dated.date}`}
                  deadline={dated.date}
                  kind={dated.kind}
                  calculator={def.name}
                  noteDefault={tc(`attach.noteFor.${def.name}`, { date: dated.from ? formatDate(dated.from, 'de', 'short') : '' })}
                  input={computation.input}
                  preselected={params.get('case')}
                  tc={tc}
                  language={language}
                />
              ) : null}
            </ResultView>
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** Calculators whose result is a date that can become a deadline of a case, with the deadline kind. */
export function dateResult(
  name: string,
  result: Record<string, unknown>,
  input: Record<string, unknown>,
): { date: string; kind: string; from: string | null } | null {
  const text = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  switch (name) {
    case 'dismissal-claim-deadline': {
      const date = text(result.deadline);
      return date ? { date, kind: 'dismissal_claim', from: text(input.notice_received) } : null;
    }
    case 'notice-period': {
      const date = text(result.earliest_end);
      return date ? { date, kind: 'notice_period', from: text(input.notice_received) } : null;
    }
    case 'limitation': {
      const date = text(result.limitation_ends);
      return date ? { date, kind: 'limitation', from: text(input.claim_due) } : null;
    }
    case 'exclusion-clause': {
      const date = text(result.assert_by);
      return date ? { date, kind: 'exclusion_period', from: text(input.claim_due) } : null;
    }
    default:
      return null;
  }
}
