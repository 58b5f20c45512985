import { describe, expect, it } from 'vitest';
import {
  configPageSearch,
  parseConfigListQuery,
  parseConfigPageState,
  parseObjectParams,
  parseValidationsQuery,
} from './params';

describe('query strings of the config views', () => {
  it('reads the validations query, strictly', () => {
    expect(parseValidationsQuery(new URLSearchParams('namespaces=a,b,a&summary=true'))).toEqual({
      ok: true,
      query: { namespaces: ['a', 'b'], summary: true },
    });
    expect(parseValidationsQuery(new URLSearchParams(''))).toEqual({
      ok: true,
      query: { namespaces: [], summary: false },
    });
    expect(parseValidationsQuery(new URLSearchParams('namespaces=Bad_Name'))).toMatchObject({
      ok: false,
      problems: ['namespaces.0: must be a Kubernetes namespace name'],
    });
  });

  it('reads the config list query, naming the parameter as sent', () => {
    expect(parseConfigListQuery(new URLSearchParams('namespace=default&kind=Gateway'))).toEqual({
      ok: true,
      query: { namespaces: ['default'], kind: 'Gateway' },
    });
    const bad = parseConfigListQuery(new URLSearchParams('kind=Deployment'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems[0]).toMatch(/^kind: must be one of VirtualService/);
  });

  it('reads the page URL leniently and writes only what is set', () => {
    const state = parseConfigPageState(new URLSearchParams('kind=Nope&namespace=default&severity=error'));
    expect(state).toEqual({ kind: '', namespace: 'default', severity: 'error' });
    expect(configPageSearch(state)).toBe('namespace=default&severity=error');
    expect(configPageSearch({ kind: '', namespace: '', severity: '' })).toBe('');
  });

  it('checks object route parameters', () => {
    expect(parseObjectParams({ kind: 'VirtualService', namespace: 'default', name: 'reviews.v1' })).toEqual({
      ok: true,
      kind: 'VirtualService',
      namespace: 'default',
      name: 'reviews.v1',
    });
    expect(parseObjectParams({ kind: 'Pod', namespace: 'Default', name: '-x' })).toEqual({
      ok: false,
      problems: [
        expect.stringMatching(/^kind: /),
        'namespace: must be a Kubernetes namespace name',
        'name: must be a Kubernetes object name',
      ],
    });
  });
});
