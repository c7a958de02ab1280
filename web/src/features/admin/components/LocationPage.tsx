import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loaded } from '../../../components/Loaded';
import { PageHeading } from '../../../components/PageHeading';
import { createLocation, deleteLocation, getCentre, patchLocation, useLoad, type Centre, type CentreLocation } from '../api/admin';
import { useAdminTranslation, type AdminTranslation } from '../i18n';
import { EntryForm, type Entry } from './CentrePage';

/**
 * `/admin/centres/:id/locations/:locationId` (`new` adds one): a location of an advice centre as
 * the public finder and the employer sheet show it. A centre keeps at least one location.
 */
export function LocationPage() {
  const tr = useAdminTranslation();
  const { tc } = tr;
  const { id = '', locationId = '' } = useParams();
  const centre = useLoad(`centre-${id}`, (signal) => getCentre(id, signal));
  const creating = locationId === 'new';
  const location = centre.status === 'done' && !creating ? centre.data.locations.find((l) => l.id === locationId) : undefined;
  const title = creating ? tc('locations.newTitle') : (location?.name ?? tc('locations.titlePlain'));
  return (
    <section className="fd-page" data-testid="page-admin-location">
      <PageHeading title={title} lead={centre.status === 'done' ? tc('locations.pageLead', { name: centre.data.name }) : undefined}>
        {title}
      </PageHeading>
      <Loaded value={centre}>
        {(data) =>
          creating || location ? <LocationForm centre={data} location={location} tr={tr} /> : <p className="kern-body">{tr.t('notFound.text')}</p>
        }
      </Loaded>
    </section>
  );
}

/** A new location starts from the centre's own contact data, languages and channels. */
function startFrom(centre: Centre): Entry {
  return {
    name: '',
    address: { street: '', postcode: '', city: '' },
    phone: centre.phone,
    email: centre.email,
    languages: centre.languages,
    channels: centre.channels,
    opening_hours: [],
  };
}

function LocationForm({ centre, location, tr }: { centre: Centre; location?: CentreLocation; tr: AdminTranslation }) {
  const { tc } = tr;
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const back = `/admin/centres/${encodeURIComponent(centre.id)}`;
  const done = (notice: string) => navigate(back, { state: { notice } });

  async function remove(l: CentreLocation) {
    setBusy(true);
    setFailure(null);
    try {
      await deleteLocation(centre.id, l.id);
      done(tc('locations.removed', { name: l.name }));
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  const last = centre.locations.length <= 1;
  return (
    <>
      <EntryForm
        entry={location ?? startFrom(centre)}
        tr={tr}
        withName
        formLabel={location ? tc('locations.formLabel', { name: location.name }) : tc('locations.newTitle')}
        back={back}
        save={async (body) => {
          const saved = location ? await patchLocation(centre.id, location.id, body) : await createLocation(centre.id, body);
          done(tc('locations.saved', { name: saved.name }));
        }}
        actions={
          location && !last ? (
            <Button variant="secondary" icon="delete" onClick={() => setConfirming(true)}>
              {tc('locations.remove')}
            </Button>
          ) : null
        }
      />
      {location && last ? <p className="kern-body">{tc('locations.lastOne')}</p> : null}
      {location && confirming ? (
        <Alert tone="warning" role="alert" title={tc('locations.confirmTitle', { name: location.name })}>
          <p className="kern-body">{tc('locations.confirmText')}</p>
          <div className="fd-actions">
            <Button variant="primary" busy={busy} onClick={() => void remove(location)}>
              {tc('locations.confirmRemove')}
            </Button>
            <Button variant="tertiary" onClick={() => setConfirming(false)}>
              {tr.t('common.cancel')}
            </Button>
          </div>
        </Alert>
      ) : null}
      <ErrorMessage error={failure} />
    </>
  );
}
