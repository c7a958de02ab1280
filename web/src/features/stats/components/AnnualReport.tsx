import { useState } from 'react';
import { SelectField } from '../../../components/Field';
import { reportUrl, type TableQuery } from '../api/stats';
import type { StatsTranslation } from '../i18n';

/**
 * The annual report as a PDF made by the server (charts and tables, German or English), for the
 * scope of the current filters: the own centre, a state or the network.
 */
export function AnnualReport({ query, scope, tr }: { query: TableQuery; scope: string; tr: StatsTranslation }) {
  const { tc } = tr;
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, i) => String(thisYear - i));
  const [year, setYear] = useState(String(thisYear - 1));
  return (
    <section className="fd-stats-report" aria-labelledby="fd-stats-report-title" data-testid="stats-report">
      <h2 className="kern-heading-medium" id="fd-stats-report-title">{tc('report.title')}</h2>
      <p className="kern-body">{tc('report.intro', { scope })}</p>
      <div className="fd-stats-report__row">
        <SelectField label={tc('report.year')} value={year} name="report-year" onChange={(e) => setYear(e.target.value)}>
          {years.map((y) => (
            <option key={y} value={y}>{y}</option>
          ))}
        </SelectField>
        <p className="kern-body fd-stats-report__links">
          <a className="kern-link" href={reportUrl(year, query, 'de')} download data-testid="stats-report-de" hrefLang="de">
            {tc('report.german', { year })}
          </a>
          <a className="kern-link" href={reportUrl(year, query, 'en')} download data-testid="stats-report-en" hrefLang="en">
            {tc('report.english', { year })}
          </a>
        </p>
      </div>
    </section>
  );
}
