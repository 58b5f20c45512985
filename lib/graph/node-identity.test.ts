import { describe, expect, it } from 'vitest';
import { indexConfig } from './config-index';
import { bookinfoConfig, istio, peer, service, workload } from './fixtures/builders';
import { boxId, peerIdentity, serviceIdentity, unknownIdentity, workloadIdentity } from './node-identity';

describe('peerIdentity', () => {
  const reviews = peer('default/reviews-v1');

  it('gives one node per workload, app, or app version, with stable ids', () => {
    expect(peerIdentity('workload', reviews)).toEqual({
      id: 'wl:default:reviews-v1',
      kind: 'workload',
      namespace: 'default',
      name: 'reviews-v1',
      workload: 'reviews-v1',
      app: 'reviews',
      version: 'v1',
    });
    expect(peerIdentity('app', reviews)).toEqual({
      id: 'app:default:reviews',
      kind: 'app',
      namespace: 'default',
      name: 'reviews',
      app: 'reviews',
    });
    expect(peerIdentity('versionedApp', reviews)).toMatchObject({
      id: 'vapp:default:reviews:v1',
      kind: 'app',
      name: 'reviews',
      version: 'v1',
    });
    expect(peerIdentity('service', reviews).id).toBe('wl:default:reviews-v1');
    expect(boxId('default', 'reviews')).toBe('box:default:reviews');
  });

  it('makes every unidentified caller the one unknown node', () => {
    expect(peerIdentity('app', peer('unknown'))).toEqual(unknownIdentity);
    expect(unknownIdentity.id).toBe('unknown');
  });

  it('falls back to the workload without an app, and to the app without a version', () => {
    const bare = { namespace: 'default', workload: 'cron', app: 'unknown', version: 'unknown' };
    expect(peerIdentity('app', bare).id).toBe('wl:default:cron');
    expect(peerIdentity('versionedApp', { ...bare, app: 'cron' }).id).toBe('app:default:cron');
  });

  it('names configured workloads as telemetry names them', () => {
    expect(workloadIdentity('versionedApp', workload('default/reviews-v2')).id).toBe(
      'vapp:default:reviews:v2',
    );
    expect(workloadIdentity('versionedApp', workload('default/cron')).id).toBe('vapp:default:cron:latest');
  });
});

describe('serviceIdentity', () => {
  it('gives a service node per service', () => {
    const index = indexConfig(bookinfoConfig());
    expect(serviceIdentity(service('reviews'), index)).toEqual({
      id: 'svc:default:reviews',
      kind: 'service',
      namespace: 'default',
      name: 'reviews',
      service: 'reviews',
    });
    expect(
      serviceIdentity({ fqdn: 'unknown', name: 'unknown', namespace: 'unknown' }, index),
    ).toBeUndefined();
  });

  it('gives hosts a ServiceEntry declares a serviceentry node', () => {
    const index = indexConfig(
      bookinfoConfig({
        istio: [istio('ServiceEntry', 'default/google', { hosts: ['*.googleapis.com', 'www.google.com'] })],
      }),
    );
    expect(
      serviceIdentity(
        { fqdn: 'storage.googleapis.com', name: 'storage.googleapis.com', namespace: 'unknown' },
        index,
      ),
    ).toEqual({
      id: 'se:default:google',
      kind: 'serviceentry',
      namespace: 'default',
      name: 'google',
      service: '*.googleapis.com,www.google.com',
    });
  });
});
