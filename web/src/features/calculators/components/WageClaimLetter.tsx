import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Link } from 'react-router';
import { addCaseDeadline, uploadLetter } from '../api/cases';
import { TextField } from '../../../components/Field';
import type { MinimumWageResult } from '../api/calculate';
import { addDays, formatDate, today } from '../dates';
import { LETTER_TABLE_HEADINGS, claimRows, letterRowCells, letterTexts, lines, PLACEHOLDERS, type LetterParties } from '../letterTemplate';
import { arrearsRows } from '../arrears';
import type { Computation } from './ResultView';

interface WageClaimLetterProps {
  computation: Computation;
  tc: TFunction;
  onBack: () => void;
  /** Opened from a case (`?case=`): the letter can be stored there, its payment deadline becomes a deadline. */
  caseId?: string | null;
  /** The employer recorded for the case's client, filled in as the recipient. */
  employer?: string | null;
}

/**
 * The wage claim letter: a small form for the parties (kept in this component's state only —
 * never sent, never stored) and the printable German letter beside it.
 */
export function WageClaimLetter({ computation, tc, onBack, caseId, employer }: WageClaimLetterProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [parties, setParties] = useState<LetterParties>(() => ({
    senderName: '',
    senderAddress: '',
    employerName: employer ?? '',
    employerAddress: '',
    place: '',
    letterDate: today(),
    deadline: addDays(today(), 14),
  }));

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const result = computation.result as unknown as MinimumWageResult;
  const rows = claimRows(arrearsRows(result, computation.snapshot));
  const text = letterTexts(rows, result.total_shortfall_cents, parties);
  const set = (key: keyof LetterParties) => (event: { target: { value: string } }) =>
    setParties((p) => ({ ...p, [key]: event.target.value }));

  return (
    <section className="fd-calc-letter-view" aria-labelledby="letter-title" data-testid="claim-letter-view">
      <div className="fd-calc-screen-only">
        <h2 className="kern-heading-medium" id="letter-title" ref={heading} tabIndex={-1}>
          {tc('letter.title')}
        </h2>
        <p className="kern-body">{tc('letter.lead')}</p>
        <div className="fd-actions">
          <Button type="button" variant="tertiary" icon="chevron-left" onClick={onBack}>
            {tc('letter.back')}
          </Button>
          <Button type="button" icon="download" onClick={() => window.print()}>
            {tc('letter.print')}
          </Button>
        </div>
      </div>

      <div className="fd-calc-letter-layout">
        <form className="fd-calc-letter-form fd-calc-screen-only" noValidate onSubmit={(e) => e.preventDefault()} aria-label={tc('letter.title')}>
          <fieldset className="kern-fieldset">
            <legend className="kern-label kern-label--large">{tc('letter.sender')}</legend>
            <div className="kern-fieldset__body">
              <TextField label={tc('letter.senderName')} name="sender-name" autoComplete="off" value={parties.senderName} onChange={set('senderName')} />
              <AddressField id="letter-sender-address" label={tc('letter.senderAddress')} hint={tc('letter.addressHint')} value={parties.senderAddress} onChange={set('senderAddress')} />
            </div>
          </fieldset>
          <fieldset className="kern-fieldset">
            <legend className="kern-label kern-label--large">{tc('letter.recipient')}</legend>
            <div className="kern-fieldset__body">
              <TextField label={tc('letter.employerName')} name="employer-name" autoComplete="off" value={parties.employerName} onChange={set('employerName')} />
              <AddressField id="letter-employer-address" label={tc('letter.employerAddress')} hint={tc('letter.addressHint')} value={parties.employerAddress} onChange={set('employerAddress')} />
            </div>
          </fieldset>
          <TextField label={tc('letter.place')} name="place" autoComplete="off" value={parties.place} onChange={set('place')} />
          <TextField label={tc('letter.date')} name="letter-date" type="date" value={parties.letterDate} onChange={set('letterDate')} />
          <TextField label={tc('letter.deadline')} hint={tc('letter.deadlineHint')} name="deadline" type="date" value={parties.deadline} onChange={set('deadline')} />
          <p className="kern-body kern-body--small">
            <span className="kern-icon kern-icon--info kern-icon--small" aria-hidden="true" /> {tc('letter.privacy')}
          </p>
        </form>

        {caseId ? <StoreInCase caseId={caseId} deadline={parties.deadline} letterDate={parties.letterDate} tc={tc} /> : null}

        <article className="fd-letter" lang="de" aria-label={tc('letter.preview')} data-testid="claim-letter" data-print="letter">
          <div className="fd-letter__head">
            <address className="fd-letter__sender">
              {[...lines(parties.senderName, PLACEHOLDERS.senderName), ...lines(parties.senderAddress, PLACEHOLDERS.senderAddress)].map((l, i) => (
                <span key={i}>{l}</span>
              ))}
            </address>
            <address className="fd-letter__recipient">
              <span className="fd-letter__return">
                {[parties.senderName.trim(), ...lines(parties.senderAddress, '')].filter(Boolean).join(' · ')}
              </span>
              {[...lines(parties.employerName, PLACEHOLDERS.employerName), ...lines(parties.employerAddress, PLACEHOLDERS.employerAddress)].map((l, i) => (
                <span key={i}>{l}</span>
              ))}
            </address>
            <p className="fd-letter__date">{text.dateLine}</p>
          </div>
          <p className="fd-letter__subject">{text.subject}</p>
          <p>{text.salutation}</p>
          {text.paragraphs.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
          <table className="fd-letter__table">
            <caption>{text.tableCaption}</caption>
            <thead>
              <tr>
                {LETTER_TABLE_HEADINGS.map((h, i) => (
                  <th key={h} scope="col" className={i ? 'fd-letter__num' : undefined}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.month}>
                  {letterRowCells(row).map((cell, i) =>
                    i === 0 ? (
                      <th key={i} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={i} className="fd-letter__num">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={5}>
                  {text.totalLabel}
                </th>
                <td className="fd-letter__num" data-testid="letter-total">
                  {text.total}
                </td>
              </tr>
            </tfoot>
          </table>
          <p>{text.demand}</p>
          <p>{text.law}</p>
          <p>{text.closing}</p>
          <p className="fd-letter__regards">{text.regards}</p>
          <p className="fd-letter__signature">{parties.senderName.trim() || PLACEHOLDERS.senderName}</p>
        </article>
      </div>
    </section>
  );
}

function AddressField({ id, label, hint, value, onChange }: { id: string; label: string; hint: string; value: string; onChange: (e: { target: { value: string } }) => void }) {
  return (
    <div className="kern-form-input">
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      <div className="kern-hint" id={`${id}-hint`}>
        {hint}
      </div>
      <textarea id={id} className="kern-form-input__input fd-calc-textarea" rows={2} autoComplete="off" aria-describedby={`${id}-hint`} value={value} onChange={onChange} />
    </div>
  );
}

/**
 * Stores the letter in the case as a document (plain text, named with the date it was sent) and
 * enters its payment deadline as a deadline of the case.
 */
function StoreInCase({ caseId, deadline, letterDate, tc }: { caseId: string; deadline: string; letterDate: string; tc: TFunction }) {
  const [sent, setSent] = useState(letterDate);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function store() {
    setBusy(true);
    setFailure(null);
    try {
      const article = document.querySelector<HTMLElement>('[data-testid="claim-letter"]');
      const text = `${article?.innerText ?? ''}\n\n(${tc('letter.store.sentOn', { date: formatDate(sent, 'de', 'short') })})\n`;
      await uploadLetter(caseId, new File([text], `Forderungsschreiben-${sent}.txt`, { type: 'text/plain' }));
      await addCaseDeadline(caseId, {
        kind: 'other',
        due_date: deadline,
        note: tc('letter.store.deadlineNote', { date: formatDate(sent, 'de', 'short') }),
        ...(deadline < today() ? { confirm_past: true } : {}),
      });
      setDone(true);
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="fd-panel fd-calc-screen-only" aria-labelledby="letter-store-title" data-testid="letter-store">
      <h3 className="kern-heading-small" id="letter-store-title">
        {tc('letter.store.title')}
      </h3>
      <p className="kern-body">{tc('letter.store.lead')}</p>
      <TextField label={tc('letter.store.sent')} name="letter-sent" type="date" max={today()} value={sent} onChange={(e) => setSent(e.target.value)} />
      <div className="fd-actions">
        <Button icon="drive-folder-upload" busy={busy} disabled={done || !sent} onClick={() => void store()}>
          {tc('letter.store.submit')}
        </Button>
      </div>
      {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
      {done ? (
        <Alert tone="success" role="status" headingLevel={3} title={tc('letter.store.done')}>
          <p className="kern-body">
            <Link className="kern-link" to={`/cases/${encodeURIComponent(caseId)}`}>
              {tc('attach.openCase')}
            </Link>
          </p>
        </Alert>
      ) : null}
    </section>
  );
}
