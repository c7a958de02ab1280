import { useMemo, useState } from 'react';
import { fillTemplate, myCases, templateFields, useLoad } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';
import { CalculatorAmount } from './CalculatorAmount';

/** Fills a letter template's `{{fields}}` from one of the advisor's cases and what they type; prints it. */
export function LetterTemplate({ markdown }: { markdown: string }) {
  const { tc, language } = useKnowledgeTranslation();
  const fields = useMemo(() => templateFields(markdown), [markdown]);
  const cases = useLoad('kb-cases', (signal) => myCases(signal).catch(() => []));
  const [caseId, setCaseId] = useState('');
  const [values, setValues] = useState<Record<string, string>>({ today: new Date().toLocaleDateString(language) });
  const chosen = cases.status === 'done' ? cases.data.find((c) => c.id === caseId) : undefined;
  const all = { ...values, ...(chosen?.client_code ? { client_code: chosen.client_code } : {}) };
  const letter = fillTemplate(markdown, all);

  return (
    <section className="fd-kb-template" aria-labelledby="kb-template-heading">
      <h2 id="kb-template-heading" className="kern-heading-small">
        {tc('template.title')}
      </h2>
      {cases.status === 'done' && cases.data.length ? (
        <div className="kern-form-input">
          <label className="kern-label" htmlFor="kb-template-case">
            {tc('template.case')}
          </label>
          <select id="kb-template-case" className="kern-form-input__select" value={caseId} onChange={(e) => setCaseId(e.target.value)}>
            <option value="">{tc('template.noCase')}</option>
            {cases.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.number}
                {c.client_code ? ` · ${c.client_code}` : ''}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {fields.includes('amount') ? (
        <CalculatorAmount
          onResult={(r) => setValues((v) => ({ ...v, amount: r.amount, ...(fields.includes('period') && r.period ? { period: r.period } : {}) }))}
        />
      ) : null}
      <div className="fd-kb-template-fields">
        {fields
          .filter((f) => !(f === 'client_code' && chosen?.client_code))
          .map((f) => (
            <div className="kern-form-input" key={f}>
              <label className="kern-label" htmlFor={`kb-field-${f}`}>
                {tc(`template.fields.${f}`, { defaultValue: f })}
              </label>
              <input
                id={`kb-field-${f}`}
                className="kern-form-input__input"
                value={values[f] ?? ''}
                onChange={(e) => setValues({ ...values, [f]: e.target.value })}
              />
            </div>
          ))}
      </div>
      <pre className="fd-kb-letter" data-testid="kb-letter">
        {letter}
      </pre>
      <button type="button" className="kern-btn kern-btn--secondary" onClick={() => window.print()}>
        <span className="kern-label">{tc('template.print')}</span>
      </button>
    </section>
  );
}
