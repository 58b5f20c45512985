import { describe, expect, it } from 'vitest';
import { describeInjection, sidecarInjectionFromLabels } from './injection';

describe('sidecarInjectionFromLabels', () => {
  it('reads istio-injection=enabled', () => {
    expect(sidecarInjectionFromLabels({ 'istio-injection': 'enabled' })).toEqual({ mode: 'enabled' });
  });

  it('reads a revision label', () => {
    expect(sidecarInjectionFromLabels({ 'istio.io/rev': 'canary' })).toEqual({
      mode: 'revision',
      revision: 'canary',
    });
  });

  it('lets istio-injection win over istio.io/rev, as Istio does', () => {
    expect(sidecarInjectionFromLabels({ 'istio-injection': 'disabled', 'istio.io/rev': 'canary' })).toEqual({
      mode: 'disabled',
    });
    expect(sidecarInjectionFromLabels({ 'istio-injection': 'enabled', 'istio.io/rev': 'canary' })).toEqual({
      mode: 'enabled',
    });
  });

  it('ignores other values of istio-injection and empty revisions', () => {
    expect(sidecarInjectionFromLabels({ 'istio-injection': 'yes', 'istio.io/rev': '' })).toEqual({
      mode: 'none',
    });
    expect(sidecarInjectionFromLabels({})).toEqual({ mode: 'none' });
  });
});

describe('describeInjection', () => {
  it('names the revision', () => {
    expect(describeInjection({ mode: 'revision', revision: '1-24' })).toBe('rev 1-24');
  });
});
