import { describe, expect, it } from 'vitest';
import { compareKubeVersions } from './registry';

describe('compareKubeVersions', () => {
  it('orders GA before beta before alpha, higher numbers first', () => {
    expect(['v1alpha3', 'v1beta1', 'v2', 'v1', 'v1beta2', 'v1alpha1'].sort(compareKubeVersions)).toEqual([
      'v2',
      'v1',
      'v1beta2',
      'v1beta1',
      'v1alpha3',
      'v1alpha1',
    ]);
  });
});
