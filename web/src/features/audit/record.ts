/**
 * What the audit trail shows in its "record" column. People know records by their case number,
 * client code or user name (`record_label`); a raw id is shown only for a record the server has
 * no label for (an erased one, a type without a label). An entry that names several records (a
 * list of 50 cases read at once, the deadlines of a dashboard) is shown as such, never as if only
 * its first record had been opened.
 */
import type { AuditEntry } from './api/audit';

export interface RecordCell {
  /** The first record's label, or its id when there is no label. */
  text: string;
  /** True when `text` is a raw id (shown as code). */
  raw: boolean;
  /** How many further records the entry names (0: it names one). */
  more: number;
  /** A link to the case, for an entry about exactly one case (null otherwise). */
  caseId: string | null;
}

export function recordCell(e: Pick<AuditEntry, 'record_type' | 'record_id' | 'record_ids' | 'record_label'>): RecordCell {
  const ids = e.record_ids?.length ? e.record_ids : [e.record_id];
  const more = Math.max(0, new Set(ids).size - 1);
  const label = e.record_label?.trim();
  return {
    text: label || e.record_id,
    raw: !label,
    more,
    caseId: e.record_type === 'case' && more === 0 ? e.record_id : null,
  };
}
