import { describe, expect, it } from 'vitest';
import { recordCell } from './record';

describe('recordCell', () => {
  it('names a case by its number and links it', () => {
    expect(recordCell({ record_type: 'case', record_id: 'case_a', record_ids: ['case_a'], record_label: 'BE-2026-00001' })).toEqual({
      text: 'BE-2026-00001',
      raw: false,
      more: 0,
      caseId: 'case_a',
    });
  });

  it('shows a list read as the first record and how many more, without a link to the first case', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `case_${i}`);
    expect(recordCell({ record_type: 'case', record_id: 'case_0', record_ids: ids, record_label: 'BE-2026-02489' })).toEqual({
      text: 'BE-2026-02489',
      raw: false,
      more: 49,
      caseId: null,
    });
  });

  it('falls back to the id only where the server has no label, and counts an id named twice once', () => {
    expect(recordCell({ record_type: 'deadline', record_id: 'ddl_x', record_ids: ['ddl_x', 'ddl_x'], record_label: null })).toEqual({
      text: 'ddl_x',
      raw: true,
      more: 0,
      caseId: null,
    });
    expect(recordCell({ record_type: 'client', record_id: 'cli_x', record_ids: [], record_label: ' ' }).raw).toBe(true);
  });
});
