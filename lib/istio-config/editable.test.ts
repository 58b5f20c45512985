import jsonPatch, { type Operation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { configPatch, editableView } from './editable';

const stored = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: {
    name: 'reviews',
    namespace: 'default',
    resourceVersion: '42',
    uid: 'u-1',
    labels: { app: 'reviews' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"big":"blob"}',
      team: 'books',
    },
  },
  spec: {
    hosts: ['reviews'],
    http: [{ route: [{ destination: { host: 'reviews', subset: 'v9' } }] }],
  },
};

function apply(edit: (view: ReturnType<typeof editableView>) => void) {
  const view = structuredClone(editableView(stored));
  edit(view);
  return configPatch(stored, view);
}

describe('editableView', () => {
  it('keeps what people edit and hides what tools maintain', () => {
    expect(editableView(stored)).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: {
        name: 'reviews',
        namespace: 'default',
        labels: { app: 'reviews' },
        annotations: { team: 'books' },
      },
      spec: stored.spec,
    });
  });
});

describe('configPatch', () => {
  it('is empty when nothing changed', () => {
    expect(apply(() => undefined)).toEqual({ ok: true, operations: [] });
  });

  it('touches only the changed spec field', () => {
    const result = apply((view) => {
      view.spec = {
        hosts: ['reviews'],
        http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }],
      };
    });
    expect(result).toEqual({
      ok: true,
      operations: [{ op: 'replace', path: '/spec/http/0/route/0/destination/subset', value: 'v1' }],
    });
  });

  it('changes labels and annotations key by key, keeping hidden annotations', () => {
    const result = apply((view) => {
      const metadata = view.metadata as {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      metadata.labels = { app: 'reviews', 'app.kubernetes.io/part-of': 'bookinfo' };
      delete metadata.annotations;
    });
    expect(result).toEqual({
      ok: true,
      operations: [
        { op: 'add', path: '/metadata/labels/app.kubernetes.io~1part-of', value: 'bookinfo' },
        { op: 'remove', path: '/metadata/annotations/team' },
      ],
    });
    if (!result.ok) return;
    const patched = jsonPatch.applyPatch(
      structuredClone(stored),
      result.operations as Operation[],
    ).newDocument;
    expect(patched.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': '{"big":"blob"}',
    });
  });

  it('adds a whole map the object did not have', () => {
    const bare = { ...stored, metadata: { name: 'reviews', namespace: 'default' } };
    const view = editableView(bare);
    (view.metadata as Record<string, unknown>).labels = { a: 'b' };
    expect(configPatch(bare, view)).toEqual({
      ok: true,
      operations: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }],
    });
  });

  it('refuses renames, kind changes and values that are not strings', () => {
    const result = apply((view) => {
      view.kind = 'DestinationRule';
      (view.metadata as Record<string, unknown>).name = 'other';
      (view.metadata as Record<string, unknown>).labels = { replicas: 3 };
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'kind: cannot be changed here (is VirtualService)',
        'metadata.name: cannot be changed here (is reviews)',
        'metadata.labels: every value must be a string (quote numbers and booleans)',
      ],
    });
    expect(configPatch(stored, ['a list'])).toEqual({
      ok: false,
      problems: ['the object must be a YAML mapping'],
    });
  });
});
