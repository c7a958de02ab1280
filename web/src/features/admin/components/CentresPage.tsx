import { Link, useLocation } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Loaded } from '../../../components/Loaded';
import { PageHeading } from '../../../components/PageHeading';
import { languageName } from '../../../lib/format';
import { listCentres, useLoad } from '../api/admin';
import { AdminTable } from './AdminTable';
import { useAdminTranslation } from '../i18n';

/** `/admin/centres`: every advice centre with its place, languages and channels. */
export function CentresPage() {
  const { tc, t, language } = useAdminTranslation();
  const centres = useLoad('centres', listCentres);
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const title = tc('centres.title');
  return (
    <section className="fd-page" data-testid="page-admin-centres">
      <PageHeading title={title} lead={tc('centres.lead')}>
        {title}
      </PageHeading>
      {notice ? <Alert tone="success" role="status" title={notice} /> : null}
      <Loaded value={centres}>
        {(data) => (
          <AdminTable
            caption={tc('centres.caption')}
            testId="centres-table"
            columns={['name', 'state', 'city', 'languages', 'channels'].map((c) => tc(`centres.columns.${c}`))}
          >
            {data.map((c) => (
              <tr key={c.id} className="kern-table__row" data-testid="centre-row">
                <th scope="row" className="kern-table__cell">
                  <Link className="kern-link" to={`/admin/centres/${encodeURIComponent(c.id)}`}>
                    {c.name}
                  </Link>
                </th>
                <td className="kern-table__cell">{t(`states.${c.state}`, { defaultValue: c.state })}</td>
                <td className="kern-table__cell">
                  {c.address.postcode} {c.address.city}
                </td>
                <td className="kern-table__cell">{c.languages.map((l) => languageName(l, language)).join(', ')}</td>
                <td className="kern-table__cell">{c.channels.map((ch) => t(`directory.channel.${ch}`, { defaultValue: ch })).join(', ')}</td>
              </tr>
            ))}
          </AdminTable>
        )}
      </Loaded>
    </section>
  );
}
