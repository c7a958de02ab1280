import { Link } from 'react-router';
import { Loaded } from '../../../components/Loaded';
import { useLoad } from '../../../lib/useLoad';
import { getDue } from '../api/esf';
import { formatDate } from '../../../lib/format';
import { useEsfTranslation } from '../i18n';

/**
 * The ESF Plus results still to be recorded at the centre (advisors and centre leads): the status
 * within 28 days after leaving and the status six months after leaving, each with the date from
 * which it can be recorded, linked to the case's participant page.
 */
export function EsfDueList() {
  const { tc, language } = useEsfTranslation();
  const load = useLoad('esf-due', (signal) => getDue(signal));
  return (
    <section className="fd-panel" aria-labelledby="esf-due-title" data-testid="esf-due">
      <h2 className="kern-heading-medium" id="esf-due-title">{tc('due.title')}</h2>
      <p className="kern-body">{tc('due.lead')}</p>
      <Loaded value={load}>
        {(items) =>
          items.length === 0 ? (
            <p className="kern-body" data-testid="esf-due-empty">{tc('due.none')}</p>
          ) : (
            <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={tc('due.title')}>
              <table className="kern-table kern-table--striped">
                <caption className="kern-body">{tc('due.caption', { count: items.length })}</caption>
                <thead className="kern-table__head">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{tc('due.case')}</th>
                    <th scope="col" className="kern-table__header">{tc('due.item')}</th>
                    <th scope="col" className="kern-table__header">{tc('fields.exit_date')}</th>
                    <th scope="col" className="kern-table__header">{tc('due.from')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {items.map((i) => (
                    <tr key={`${i.case_id}:${i.kind}`} className="kern-table__row" data-testid={`esf-due-${i.case_id}-${i.kind}`}>
                      <th scope="row" className="kern-table__cell">
                        <Link className="kern-link" to={`/cases/${encodeURIComponent(i.case_id)}/esf`}>{i.case_number}</Link>
                      </th>
                      <td className="kern-table__cell">{tc(`fields.${i.kind}`)}</td>
                      <td className="kern-table__cell">{formatDate(i.exit_date, language)}</td>
                      <td className="kern-table__cell">
                        {formatDate(i.due_from, language)}
                        {' – '}
                        {i.due ? <strong>{tc('due.due')}</strong> : tc('due.notYet')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}
