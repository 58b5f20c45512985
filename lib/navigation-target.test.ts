import { describe, expect, it } from 'vitest';
import { decodeSegment, safeReturnPath } from './navigation-target';

describe('safeReturnPath', () => {
  it('keeps paths of this site, with their query', () => {
    expect(safeReturnPath('/graph?namespaces=default')).toBe('/graph?namespaces=default');
    expect(safeReturnPath('/')).toBe('/');
  });

  it('sends anything that could leave the site to /', () => {
    for (const value of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
      '',
      undefined,
      ['/graph'],
    ]) {
      expect(safeReturnPath(value), String(value)).toBe('/');
    }
  });
});

describe('decodeSegment', () => {
  it('decodes good segments and refuses broken percent-encoding', () => {
    expect(decodeSegment('reviews%2Dv3')).toBe('reviews-v3');
    expect(decodeSegment('%zz')).toBeUndefined();
    expect(decodeSegment('%')).toBeUndefined();
  });
});
