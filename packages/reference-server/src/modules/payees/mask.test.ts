import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskName, normalisePhone } from './mask.ts';

describe('maskName', () => {
  it('when a name has several words, then only the first and the last initial remain', () => {
    expect(maskName('Wanjiru Kamau')).toBe('Wanjiru K.');
    expect(maskName('  Amina   Wanjiru  odhiambo ')).toBe('Amina O.');
    expect(maskName('Zoë Ångström')).toBe('Zoë Å.');
  });
  it('when a name is one word, then it stays as it is', () => {
    expect(maskName('Wanjiru')).toBe('Wanjiru');
    expect(maskName('   ')).toBe('');
  });
  it('when any name is masked, then no word but the first appears beyond its initial', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z]{2,12}$/), { minLength: 2, maxLength: 5 }),
        (words) => {
          const masked = maskName(words.join(' '));
          const [first, rest] = [masked.split(' ')[0], masked.split(' ').slice(1).join(' ')];
          expect(first).toBe(words[0]);
          expect(rest).toMatch(/^[A-Z]\.$/u);
        },
      ),
    );
  });
});

describe('normalisePhone', () => {
  it('when a Kenyan number is written locally, then it reads as E.164', () => {
    expect(normalisePhone('0712345678')).toBe('+254712345678');
    expect(normalisePhone('254712345678')).toBe('+254712345678');
    expect(normalisePhone('+254712345678')).toBe('+254712345678');
    expect(normalisePhone('0112345678')).toBe('+254112345678');
  });
});
