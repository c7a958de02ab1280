import { Link, useLocation } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Loaded } from '../../../components/Loaded';
import { PageHeading } from '../../../components/PageHeading';
import { listOrganisations, useLoad } from '../api/admin';
import { AdminTable } from './AdminTable';
import { useAdminTranslation } from '../i18n';

/** `/admin/organisations`: the programme, funders, partners, networks and providers. */
export function OrganisationsPage() {
  const { tc } = useAdminTranslation();
  const organisations = useLoad('organisations', listOrganisations);
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const title = tc('organisations.title');
  return (
    <section className="fd-page" data-testid="page-admin-organisations">
      <PageHeading title={title} lead={tc('organisations.lead')}>
        {title}
      </PageHeading>
      {notice ? <Alert tone="success" role="status" title={notice} /> : null}
      <Loaded value={organisations}>
        {(data) => (
          <AdminTable
            caption={tc('organisations.caption')}
            testId="organisations-table"
            columns={['name', 'shortName', 'kind', 'website'].map((c) => tc(`organisations.columns.${c}`))}
          >
            {data.map((o) => (
              <tr key={o.id} className="kern-table__row" data-testid="organisation-row">
                <th scope="row" className="kern-table__cell">
                  <Link className="kern-link" to={`/admin/organisations/${encodeURIComponent(o.id)}`}>
                    {o.name}
                  </Link>
                </th>
                <td className="kern-table__cell">{o.short_name}</td>
                <td className="kern-table__cell">{tc(`kinds.${o.kind}`, { defaultValue: o.kind })}</td>
                <td className="kern-table__cell fd-admin-url">{o.website || '–'}</td>
              </tr>
            ))}
          </AdminTable>
        )}
      </Loaded>
    </section>
  );
}
