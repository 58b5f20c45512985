import { describe, expect, it } from 'vitest';
import type { Finding } from '../types/validation';
import { findingMarkers, syntaxMarkers } from './markers';
import { parseYamlText } from './yaml-text';

const text = 'spec:\n  http:\n  - route:\n    - destination:\n        host: details\n        subset: v9\n';

const finding: Finding = {
  code: 'vs.destination.subset-not-found',
  istioCode: 'IST0101',
  kialiCode: 'KIA1107',
  severity: 'error',
  object: { kind: 'VirtualService', namespace: 'default', name: 'details' },
  path: 'spec.http[0].route[0].destination.subset',
  message: 'Subset "v9" is not defined.',
};

describe('findingMarkers', () => {
  it('marks a finding at its path with its codes', () => {
    const [marker] = findingMarkers(text, [finding]);
    expect(marker && text.slice(marker.from, marker.to)).toBe('v9');
    expect(marker).toMatchObject({
      severity: 'error',
      message: 'IST0101/KIA1107: Subset "v9" is not defined.',
      source: 'vs.destination.subset-not-found',
    });
  });

  it('marks syntax errors', () => {
    expect(syntaxMarkers(parseYamlText('a: [1, 2'))).toEqual([
      expect.objectContaining({
        severity: 'error',
        source: 'syntax',
        message: expect.stringMatching(/^YAML: /),
      }),
    ]);
    expect(syntaxMarkers(parseYamlText(text))).toEqual([]);
  });
});
