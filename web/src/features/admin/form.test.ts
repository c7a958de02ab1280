import { describe, expect, it } from 'vitest';
import { parseLanguages } from './components/CentrePage';
import { formKey, optionalText } from './form';

describe('admin forms', () => {
  it('maps server field paths to form keys', () => {
    expect(formKey('languages[2]')).toBe('languages');
    expect(formKey('channels[0]')).toBe('channels');
    expect(formKey('opening_hours[1].to')).toBe('opening_hours.1.to');
    expect(formKey('address.postcode')).toBe('address.postcode');
    expect(formKey('website')).toBe('website');
  });

  it('sends optional texts only when they changed', () => {
    expect(optionalText('website', 'https://a.example', ' https://a.example ')).toEqual({});
    expect(optionalText('website', null, '')).toEqual({});
    expect(optionalText('website', null, 'https://b.example')).toEqual({ website: 'https://b.example' });
    expect(optionalText('phone', '030 1', '')).toEqual({ phone: null });
    expect(optionalText('website', 'https://a.example', '  ')).toEqual({ website: null });
  });

  it('reads language codes from free text', () => {
    expect(parseLanguages('de, EN  ar,;de')).toEqual(['de', 'en', 'ar']);
    expect(parseLanguages('  ')).toEqual([]);
  });
});
