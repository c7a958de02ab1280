import { describe, expect, it } from 'vitest';
import { figurePlaceholder, fillTemplate, insertAt, snippetParts, templateFields } from './api/knowledge';

describe('snippetParts', () => {
  it('splits highlighted words and unescapes text without interpreting HTML', () => {
    expect(snippetParts('… Die <mark>Kündigung</mark> &lt;b&gt; &amp; mehr …')).toEqual([
      { text: '… Die ', mark: false },
      { text: 'Kündigung', mark: true },
      { text: ' <b> & mehr …', mark: false },
    ]);
  });
  it('keeps Arabic text and several marks', () => {
    expect(snippetParts('<mark>كَتَبَ</mark> و <mark>كتب</mark>').filter((p) => p.mark).map((p) => p.text)).toEqual(['كَتَبَ', 'كتب']);
  });
});

describe('letter templates', () => {
  const template = 'An: {{employer_name}}\nBetrag: {{amount}} Euro\nCode: {{client_code}} {{amount}}';
  it('lists the fields once, in order', () => {
    expect(templateFields(template)).toEqual(['employer_name', 'amount', 'client_code']);
  });
  it('fills known fields and leaves empty ones visible', () => {
    expect(fillTemplate(template, { amount: '1.234,00', client_code: 'BE-7K2M' })).toBe(
      'An: {{employer_name}}\nBetrag: 1.234,00 Euro\nCode: BE-7K2M 1.234,00',
    );
  });
});

describe('live figure placeholders', () => {
  it('writes the three forms of a placeholder', () => {
    expect(figurePlaceholder('minimum_wage', '')).toBe('{{minimum_wage}}');
    expect(figurePlaceholder('minijob_limit', 'value')).toBe('{{minijob_limit:value}}');
    expect(figurePlaceholder('minimum_wage', 'since')).toBe('{{minimum_wage:since}}');
  });
  it('inserts at the cursor, replacing a selection, and puts the caret after it', () => {
    expect(insertAt('Lohn:  pro Stunde', 6, 6, '{{minimum_wage}}')).toEqual({ text: 'Lohn: {{minimum_wage}} pro Stunde', caret: 22 });
    expect(insertAt('bis 603 Euro', 4, 12, '{{minijob_limit:value}}')).toEqual({ text: 'bis {{minijob_limit:value}}', caret: 27 });
    expect(insertAt('', 5, 9, '{{x}}')).toEqual({ text: '{{x}}', caret: 5 });
  });
});
