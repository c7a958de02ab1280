/** Assigning cases (centre leads): the picker shows each member's open caseload. */
import { useState } from 'react';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField } from '../../../components/Field';
import { assignCases, getCaseload, useLoad, type CaseloadRow } from '../api/cases';
import type { CaseDetail } from '../api/types';
import type { CasesTranslation } from '../i18n';

export function caseloadLabel(row: CaseloadRow, tr: CasesTranslation): string {
  return tr.tc('assign.option', { name: row.display_name, count: row.open_cases });
}

export function AssignControl({ detail, tr, onDone }: { detail: CaseDetail; tr: CasesTranslation; onDone: (message: string) => void }) {
  const { tc } = tr;
  const caseload = useLoad('caseload', getCaseload);
  const [assignee, setAssignee] = useState(detail.assignee_id ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const rows = caseload.status === 'done' ? caseload.data : [];

  async function save() {
    setBusy(true);
    setFailure(null);
    try {
      await assignCases([detail.id], assignee || null);
      const name = rows.find((r) => r.user_id === assignee)?.display_name ?? tc('assignee.none');
      caseload.reload(); // the counts in the picker include this case now
      onDone(tc('assign.done', { count: 1, name }));
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="fd-assign" data-testid="case-assign">
      <SelectField id="case-assignee" label={tc('assign.label')} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
        <option value="">{tc('assignee.none')}</option>
        {rows.map((r) => (
          <option key={r.user_id} value={r.user_id}>
            {caseloadLabel(r, tr)}
          </option>
        ))}
      </SelectField>
      <Button variant="secondary" icon="account-circle" busy={busy} disabled={assignee === (detail.assignee_id ?? '')} onClick={() => void save()}>
        {tc('assign.submit')}
      </Button>
      {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
      {caseload.status === 'error' ? <ErrorMessage error={caseload.error} headingLevel={3} /> : null}
    </div>
  );
}
