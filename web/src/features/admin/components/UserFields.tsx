import type { TFunction } from 'i18next';
import { SelectField } from '../../../components/Field';
import { ROLES, type Role } from '../../../lib/roles';
import { CENTRE_ROLES, FEDERAL_STATES, type Centre } from '../api/admin';
import type { Errors, Form } from '../form';

export interface Placement extends Record<string, unknown> {
  role: Role | '';
  centre_id: string;
  state: string;
}

/** Client-side checks of role, centre and state (the server checks the same). */
export function validatePlacement(values: Placement, tc: TFunction): Errors {
  const errors: Errors = {};
  if (!values.role) errors.role = tc('validation.roleRequired');
  if (values.role && CENTRE_ROLES.includes(values.role) && !values.centre_id) errors.centre_id = tc('validation.centreRequired');
  if (values.role === 'state_coordinator' && !values.state) errors.state = tc('validation.stateRequired');
  return errors;
}

/** What the API expects for a placement: a centre for case-work roles, a state for coordinators. */
export function placementBody(values: Placement): { role: Role; centre_id: string | null; state: string | null } {
  const role = values.role as Role;
  return {
    role,
    centre_id: CENTRE_ROLES.includes(role) ? values.centre_id : null,
    state: role === 'state_coordinator' ? values.state : null,
  };
}

/** Role, and the centre or federal state the role needs. */
export function PlacementFields<V extends Placement>({
  form,
  centres,
  t,
  tc,
  idBase,
  roleLocked,
}: {
  form: Form<V>;
  centres: Centre[];
  t: TFunction;
  tc: TFunction;
  idBase: string;
  roleLocked?: boolean;
}) {
  const { values } = form;
  const needsCentre = values.role !== '' && CENTRE_ROLES.includes(values.role);
  return (
    <>
      <SelectField
        id={`${idBase}-role`}
        label={tc('userForm.role')}
        hint={roleLocked ? tc('userForm.ownRole') : undefined}
        value={values.role}
        disabled={roleLocked}
        error={form.error('role')}
        onChange={(e) => form.set('role', e.target.value as V['role'])}
      >
        <option value="">{tc('userForm.choose')}</option>
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {t(`roles.${role}`)}
          </option>
        ))}
      </SelectField>
      {needsCentre ? (
        <SelectField
          id={`${idBase}-centre_id`}
          label={tc('userForm.centre')}
          value={values.centre_id}
          error={form.error('centre_id')}
          onChange={(e) => form.set('centre_id', e.target.value as V['centre_id'])}
        >
          <option value="">{tc('userForm.choose')}</option>
          {centres.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({t(`states.${c.state}`, { defaultValue: c.state })})
            </option>
          ))}
        </SelectField>
      ) : null}
      {values.role === 'state_coordinator' ? (
        <SelectField
          id={`${idBase}-state`}
          label={tc('userForm.state')}
          value={values.state}
          error={form.error('state')}
          onChange={(e) => form.set('state', e.target.value as V['state'])}
        >
          <option value="">{tc('userForm.choose')}</option>
          {FEDERAL_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`states.${s}`)}
            </option>
          ))}
        </SelectField>
      ) : null}
    </>
  );
}
