import { useCallback, useId } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { Loaded } from '../../../components/Loaded';
import { PageHeading } from '../../../components/PageHeading';
import { getOrganisation, patchOrganisation, useLoad, type Organisation } from '../api/admin';
import { HTTP_URL, optionalText, useForm, type Errors } from '../form';
import { useAdminTranslation, type AdminTranslation } from '../i18n';
import { TextArea } from './TextArea';
import { OtherErrors } from './OtherErrors';

interface Values extends Record<string, unknown> {
  name: string;
  short_name: string;
  website: string;
  description: string;
}

/** `/admin/organisations/:id`: name, short name, website and description of an organisation. */
export function OrganisationPage() {
  const tr = useAdminTranslation();
  const { id = '' } = useParams();
  const organisation = useLoad(`organisation-${id}`, (signal) => getOrganisation(id, signal));
  const title = organisation.status === 'done' ? organisation.data.name : tr.tc('organisation.titlePlain');
  return (
    <section className="fd-page" data-testid="page-admin-organisation">
      <PageHeading title={title} lead={tr.tc('organisation.lead')}>
        {title}
      </PageHeading>
      <Loaded value={organisation}>{(data) => <OrganisationForm organisation={data} tr={tr} />}</Loaded>
    </section>
  );
}

function OrganisationForm({ organisation, tr }: { organisation: Organisation; tr: AdminTranslation }) {
  const { tc, t } = tr;
  const idBase = useId();
  const navigate = useNavigate();
  const validate = useCallback(
    (v: Values): Errors => {
      const errors: Errors = {};
      if (!v.name.trim()) errors.name = tc('validation.required');
      else if (v.name.length > 300) errors.name = tc('validation.tooLong', { max: 300 });
      if (!v.short_name.trim()) errors.short_name = tc('validation.required');
      else if (v.short_name.length > 100) errors.short_name = tc('validation.tooLong', { max: 100 });
      if (v.website.trim() && !HTTP_URL.test(v.website.trim())) errors.website = tc('validation.url');
      else if (v.website.length > 300) errors.website = tc('validation.tooLong', { max: 300 });
      if (v.description.length > 2000) errors.description = tc('validation.tooLong', { max: 2000 });
      return errors;
    },
    [tc],
  );
  const form = useForm<Values>({
    initial: {
      name: organisation.name,
      short_name: organisation.short_name,
      website: organisation.website ?? '',
      description: organisation.description ?? '',
    },
    validate,
    fields: (k) => ['name', 'short_name', 'website', 'description'].includes(k),
    idOf: (k) => `${idBase}-${k}`,
    tc,
  });
  const { values } = form;
  return (
    <form
      className="fd-form fd-admin-form"
      noValidate
      aria-label={tc('organisation.formLabel')}
      onSubmit={form.onSubmit(async (v) => {
        const saved = await patchOrganisation(organisation.id, {
          name: v.name.trim(),
          short_name: v.short_name.trim(),
          ...optionalText('website', organisation.website, v.website),
          ...optionalText('description', organisation.description, v.description),
        });
        navigate('/admin/organisations', { state: { notice: tc('organisation.saved', { name: saved.name }) } });
      })}
    >
      <p className="kern-body">
        {tc('organisation.kind', { kind: tc(`kinds.${organisation.kind}`, { defaultValue: organisation.kind }) })}
      </p>
      <ErrorMessage error={form.failure} />
      <OtherErrors errors={form.otherErrors} />
      <TextField id={`${idBase}-name`} label={tc('organisation.name')} value={values.name} maxLength={300} error={form.error('name')} onChange={(e) => form.set('name', e.target.value)} />
      <TextField
        id={`${idBase}-short_name`}
        label={tc('organisation.shortName')}
        value={values.short_name}
        maxLength={100}
        error={form.error('short_name')}
        onChange={(e) => form.set('short_name', e.target.value)}
      />
      <TextField
        id={`${idBase}-website`}
        type="url"
        label={tc('organisation.website')}
        hint={tc('form.urlHint')}
        optional={tc('form.optional')}
        value={values.website}
        error={form.error('website')}
        onChange={(e) => form.set('website', e.target.value)}
      />
      <TextArea
        id={`${idBase}-description`}
        label={tc('organisation.description')}
        hint={tc('organisation.descriptionHint')}
        rows={5}
        value={values.description}
        error={form.error('description')}
        onChange={(e) => form.set('description', e.target.value)}
      />
      <div className="fd-actions">
        <Button type="submit" busy={form.busy}>
          {tc('form.save')}
        </Button>
        <Link className="kern-link" to="/admin/organisations">
          {t('common.cancel')}
        </Link>
      </div>
    </form>
  );
}
