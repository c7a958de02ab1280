import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import type { CalculatorName } from '../definitions';
import { useCalculatorsTranslation } from '../i18n';
import '../calculators.css';

/** The calculators grouped by what advisors look for. */
const GROUPS: { key: string; names: CalculatorName[] }[] = [
  { key: 'pay', names: ['minimum-wage', 'training-allowance', 'mini-job', 'exclusion-clause', 'limitation'] },
  { key: 'deadlines', names: ['dismissal-claim-deadline', 'notice-period', 'holidays'] },
  { key: 'time', names: ['working-time', 'leave-entitlement', 'sick-pay'] },
];

/** `/calculators`: every calculator with a one-line explanation. */
export function CalculatorsPage() {
  const { tc, ready, failed } = useCalculatorsTranslation();
  if (failed) return <ErrorMessage error={new Error('locale')} />;
  if (!ready) return <Loader />;
  const title = tc('overview.title');
  return (
    <section className="fd-page" data-testid="page-calculators">
      <PageHeading title={title} lead={tc('overview.lead')}>
        {title}
      </PageHeading>
      {GROUPS.map((group) => (
        <section key={group.key} aria-labelledby={`calc-group-${group.key}`} className="fd-calc-group">
          <h2 className="kern-heading-medium" id={`calc-group-${group.key}`}>
            {tc(`overview.groups.${group.key}`)}
          </h2>
          <ul className="fd-calc-cards">
            {group.names.map((name) => (
              <li key={name}>
                <article className="kern-card kern-card--interactive fd-calc-card" data-testid="calculator-card">
                  <div className="kern-card__container">
                    <div className="kern-card__header">
                      <h3 className="kern-title">
                        <Link className="kern-link kern-link--stretched" to={`/calculators/${name}`}>
                          {tc(`calc.${name}.title`)}
                        </Link>
                      </h3>
                    </div>
                    <div className="kern-card__body">
                      <p className="kern-body">{tc(`calc.${name}.summary`)}</p>
                    </div>
                  </div>
                </article>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
