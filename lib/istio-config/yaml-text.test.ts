import { describe, expect, it } from 'vitest';
import { parseYamlText, toYamlText } from './yaml-text';

describe('toYamlText / parseYamlText', () => {
  it('round-trips the editable view', () => {
    const object = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'default', uid: 'x', managedFields: [] },
      spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
    };
    const text = toYamlText(object);
    expect(text).toBe(
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: default\nspec:\n  host: reviews\n  subsets:\n    - name: v1\n      labels:\n        version: v1\n',
    );
    expect(parseYamlText(text)).toEqual({
      ok: true,
      value: { ...object, metadata: { name: 'reviews', namespace: 'default' } },
    });
  });

  it('gives syntax errors with their position', () => {
    const result = parseYamlText('spec:\n  host: a\n  host: b\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/unique/i);
  });
});
