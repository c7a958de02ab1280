import type { ReactNode } from 'react';
import { SelectField, TextField } from '../../../components/Field';
import { AUDIENCES, ITEM_TYPES, TOPICS } from '../api/knowledge';
import { useKnowledgeTranslation } from '../i18n';

/** An item's properties as a form holds them (tags comma-separated, an empty date: none). */
export interface ItemFieldValues {
  type: string;
  topic: string;
  audience: string;
  tags: string;
  review_date: string;
}

/**
 * The fields of an item's properties (type, topic, audience, tags, review date), shared by the
 * new-item page and the properties form of the editor. `afterAudience` goes below the audience
 * (the editor's note on making an item public).
 */
export function ItemFields({
  idPrefix,
  values,
  onChange,
  errors,
  afterAudience,
}: {
  idPrefix: string;
  values: ItemFieldValues;
  onChange: (k: keyof ItemFieldValues) => (e: { target: { value: string } }) => void;
  errors: Record<string, string>;
  afterAudience?: ReactNode;
}) {
  const { tc } = useKnowledgeTranslation();
  return (
    <>
      <SelectField id={`${idPrefix}-type`} label={tc('fields.type')} value={values.type} onChange={onChange('type')} error={errors.type}>
        {ITEM_TYPES.map((t) => (
          <option key={t} value={t}>
            {tc(`types.${t}`)}
          </option>
        ))}
      </SelectField>
      <SelectField id={`${idPrefix}-topic`} label={tc('fields.topic')} value={values.topic} onChange={onChange('topic')} error={errors.topic}>
        {['', ...TOPICS].map((t) => (
          <option key={t} value={t}>
            {t ? tc(`topics.${t}`) : tc('search.any')}
          </option>
        ))}
      </SelectField>
      <SelectField id={`${idPrefix}-audience`} label={tc('fields.audience')} value={values.audience} onChange={onChange('audience')} error={errors.audience}>
        {AUDIENCES.map((a) => (
          <option key={a} value={a}>
            {tc(`audience.${a}`)}
          </option>
        ))}
      </SelectField>
      {afterAudience}
      <TextField id={`${idPrefix}-tags`} label={tc('fields.tags')} hint={tc('fields.tagsHint')} value={values.tags} onChange={onChange('tags')} error={errors.tags} />
      <TextField id={`${idPrefix}-review`} type="date" label={tc('fields.reviewDate')} value={values.review_date} onChange={onChange('review_date')} error={errors.review_date} />
    </>
  );
}
