import { describe, expect, it } from 'vitest';
import type { IstioObject } from '@/lib/types/mesh-config';
import { istioCrds } from '../../sim/istio/crds';
import { projectCrd } from '../cache/projections';
import { SchemaRegistry, toAjvSchema } from './schema-check';

function virtualService(spec: Record<string, unknown>): IstioObject {
  return {
    kind: 'VirtualService',
    apiVersion: 'networking.istio.io/v1',
    namespace: 'default',
    name: 'reviews',
    resourceVersion: '1',
    labels: {},
    annotations: {},
    spec,
  };
}

describe('toAjvSchema', () => {
  it('types int-or-string, refuses undeclared fields, leaves preserved ones open', () => {
    expect(
      toAjvSchema({
        type: 'object',
        properties: {
          port: { 'x-kubernetes-int-or-string': true },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: { port: { anyOf: [{ type: 'integer' }, { type: 'string' }] }, extra: { type: 'object' } },
      additionalProperties: false,
    });
  });
});

describe('SchemaRegistry on the simulator’s Istio CRDs', () => {
  const registry = new SchemaRegistry(istioCrds().map(projectCrd));

  it('accepts a valid object and reports each violation at its path', () => {
    expect(
      registry.check(
        virtualService({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }),
      ),
    ).toEqual([]);
    const findings = registry.check(
      virtualService({
        hosts: ['reviews'],
        http: [{ route: [{ destination: { hots: 'reviews' }, weight: 'half' }] }],
      }),
    );
    expect(findings.map((finding) => [finding.code, finding.istioCode, finding.path]).sort()).toEqual([
      ['schema.invalid', 'IST0106', 'spec.http[0].route[0].destination'],
      ['schema.invalid', 'IST0106', 'spec.http[0].route[0].destination.hots'],
      ['schema.invalid', 'IST0106', 'spec.http[0].route[0].weight'],
    ]);
  });

  it('finds the schema of the served version, or the storage version for an unknown one', () => {
    expect(registry.schemaFor('VirtualService', 'networking.istio.io/v1')?.apiVersion).toBe(
      'networking.istio.io/v1',
    );
    expect(registry.schemaFor('VirtualService', 'networking.istio.io/v9')?.apiVersion).toMatch(
      /^networking\.istio\.io\//,
    );
    expect(registry.schemaFor('Deployment', 'apps/v1')).toBeUndefined();
  });
});
