import { describe, expect, it } from 'vitest';
import { fieldPath, SchemaValidator } from './validation';

describe('fieldPath', () => {
  it('turns JSON pointers into Kubernetes field paths', () => {
    expect(fieldPath('/spec/http/0/route/1/weight')).toBe('spec.http[0].route[1].weight');
    expect(fieldPath('/metadata/annotations/a~1b')).toBe('metadata.annotations.a/b');
  });
});

describe('SchemaValidator', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['host'],
        properties: {
          host: { type: 'string' },
          mode: { type: 'string', enum: ['STRICT', 'PERMISSIVE'] },
          weight: { type: 'integer' },
        },
      },
    },
  };

  it('reports required, enum and type violations as causes with fields', () => {
    const causes = new SchemaValidator().validate(schema, {
      metadata: { name: 'x' },
      spec: { mode: 'LOOSE', weight: 'ten' },
    });
    expect(causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: 'FieldValueRequired',
          field: 'spec.host',
          message: 'Required value',
        }),
        expect.objectContaining({ reason: 'FieldValueNotSupported', field: 'spec.mode' }),
        expect.objectContaining({ reason: 'FieldValueTypeInvalid', field: 'spec.weight' }),
      ]),
    );
  });

  it('accepts a valid object', () => {
    expect(
      new SchemaValidator().validate(schema, {
        metadata: { name: 'x' },
        spec: { host: 'reviews', weight: 5 },
      }),
    ).toEqual([]);
  });
});
