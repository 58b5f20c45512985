import { describe, expect, it } from 'vitest';
import { Authorizer, defaultUsers } from './auth';

describe('Authorizer', () => {
  const users = defaultUsers({ admin: 'admin-token', viewer: 'viewer-token' });
  const authorizer = new Authorizer(users);
  const viewer = users.find((user) => user.id === 'viewer');
  const admin = users.find((user) => user.id === 'admin');
  if (!viewer || !admin) throw new Error('default users missing');

  it('authenticates bearer tokens and nothing else', () => {
    expect(authorizer.authenticate('Bearer viewer-token')?.id).toBe('viewer');
    expect(authorizer.authenticate('Bearer nope')).toBeUndefined();
    expect(authorizer.authenticate(undefined)).toBeUndefined();
  });

  it('lets the viewer read but not write, read secrets or proxy into pods', () => {
    const vs = { group: 'networking.istio.io', resource: 'virtualservices', namespace: 'default' };
    expect(authorizer.allows(viewer, { ...vs, verb: 'list' })).toBe(true);
    expect(authorizer.allows(viewer, { ...vs, verb: 'patch' })).toBe(false);
    expect(
      authorizer.allows(viewer, { verb: 'get', group: '', resource: 'secrets', namespace: 'default' }),
    ).toBe(false);
    expect(
      authorizer.allows(viewer, {
        verb: 'get',
        group: '',
        resource: 'pods',
        subresource: 'proxy',
        namespace: 'default',
      }),
    ).toBe(false);
    expect(
      authorizer.allows(viewer, {
        verb: 'get',
        group: '',
        resource: 'pods',
        subresource: 'log',
        namespace: 'default',
      }),
    ).toBe(true);
    expect(authorizer.allows(admin, { ...vs, verb: 'patch' })).toBe(true);
  });

  it('words a 403 as kube-apiserver does', () => {
    expect(
      authorizer.forbiddenMessage(viewer, {
        verb: 'patch',
        group: 'networking.istio.io',
        resource: 'virtualservices',
        namespace: 'default',
        name: 'reviews',
      }),
    ).toBe(
      'virtualservices.networking.istio.io "reviews" is forbidden: User "meshscope-viewer" cannot patch resource "virtualservices" in API group "networking.istio.io" in the namespace "default"',
    );
  });
});
