import { describe, expect, it } from 'vitest';
import { editableView } from './editable';
import { rebaseDraft } from './rebase';

interface Route {
  destination: { host: string; subset: string };
  weight: number;
}

function virtualService(options: { hosts?: string[]; routes?: Route[]; resourceVersion?: string } = {}) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace: 'default', resourceVersion: options.resourceVersion ?? '1' },
    spec: {
      hosts: options.hosts ?? ['reviews'],
      http:
        options.routes === undefined
          ? [{ route: routes(50, 50, 'v9') }]
          : options.routes.length
            ? [{ route: options.routes }]
            : [],
    },
  };
}

function routes(first: number, second: number, subset: string): Route[] {
  return [
    { destination: { host: 'reviews', subset: 'v1' }, weight: first },
    { destination: { host: 'reviews', subset }, weight: second },
  ];
}

const read = virtualService();

describe('rebaseDraft', () => {
  it('keeps their change to fields the user did not touch', () => {
    const mine = editableView(virtualService({ routes: routes(50, 50, 'v2') }));
    const theirs = virtualService({ routes: routes(80, 20, 'v9'), resourceVersion: '2' });
    expect(rebaseDraft(read, mine, theirs)).toEqual({
      ok: true,
      overlapping: [],
      draft: editableView(virtualService({ routes: routes(80, 20, 'v2') })),
    });
  });

  it('keeps the user’s value where both changed the same field, and says where', () => {
    const mine = editableView(virtualService({ hosts: ['reviews.default'] }));
    const theirs = virtualService({ hosts: ['reviews.default.svc.cluster.local'] });
    const result = rebaseDraft(read, mine, theirs);
    expect(result.ok && result.overlapping).toEqual(['/spec/hosts/0']);
    expect(result.ok && (result.draft.spec as { hosts: string[] }).hosts).toEqual(['reviews.default']);
  });

  it('fails when the user’s edit no longer applies', () => {
    const mine = editableView(virtualService({ routes: routes(60, 40, 'v9') }));
    const theirs = virtualService({ routes: [] });
    expect(rebaseDraft(read, mine, theirs)).toMatchObject({ ok: false });
  });
});
