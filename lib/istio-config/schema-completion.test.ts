import { describe, expect, it } from 'vitest';
import { schemaCompletions, subschemaAt } from './schema-completion';
import { yamlContextAt } from './yaml-context';

const destination = {
  type: 'object',
  required: ['host'],
  properties: {
    host: { type: 'string', description: 'The name of a service from the service registry.' },
    subset: { type: 'string' },
    port: { type: 'object', properties: { number: { type: 'integer' } } },
  },
};
const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        hosts: { type: 'array', items: { type: 'string' } },
        http: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              route: {
                type: 'array',
                items: { type: 'object', properties: { destination, weight: { type: 'integer' } } },
              },
              timeout: { type: 'string' },
            },
          },
        },
        tls: {
          type: 'object',
          properties: {
            mode: { type: 'string', enum: ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'] },
            insecureSkipVerify: { type: 'boolean', nullable: true },
          },
        },
        exportTo: { 'x-kubernetes-int-or-string': true },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

function completions(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  return schemaCompletions(schema, yamlContextAt(textWithCursor.replace('|', ''), offset));
}

describe('schemaCompletions', () => {
  it('offers the fields of the mapping at the cursor, not those already written', () => {
    const items = completions(
      'spec:\n  http:\n  - route:\n    - destination:\n        host: reviews\n        |',
    );
    expect(items.map((item) => item.label)).toEqual(['subset', 'port']);
    expect(items.find((item) => item.label === 'port')?.apply).toBe('port:\n          ');
  });

  it('filters by the typed prefix and carries descriptions', () => {
    const items = completions('spec:\n  http:\n  - route:\n    - destination:\n        ho|');
    expect(items).toEqual([
      {
        label: 'host',
        kind: 'property',
        detail: 'string',
        info: 'The name of a service from the service registry.',
        apply: 'host: ',
      },
    ]);
  });

  it('starts a sequence for array fields and leaves status out at the root', () => {
    expect(completions('spec:\n  h|').map((item) => [item.label, item.apply])).toEqual([
      ['hosts', 'hosts:\n  - '],
      ['http', 'http:\n  - '],
    ]);
    expect(completions('s|').map((item) => item.label)).toEqual(['spec']);
  });

  it('offers enum values and booleans', () => {
    expect(completions('spec:\n  tls:\n    mode: IS|').map((item) => item.label)).toEqual(['ISTIO_MUTUAL']);
    expect(completions('spec:\n  tls:\n    insecureSkipVerify: |').map((item) => item.label)).toEqual([
      'true',
      'false',
    ]);
  });

  it('says nothing inside free-form fields', () => {
    expect(subschemaAt(schema, ['status', 'anything'])).toBeUndefined();
    expect(completions('status:\n  a|')).toEqual([]);
  });
});
