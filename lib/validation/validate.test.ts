import { describe, expect, it } from 'vitest';
import type { IstioObject } from '../types/mesh-config';
import { syntheticMesh } from './synthetic';
import { describeFinding, findings, service, snapshotOf } from './test-support';
import { Validator, validate } from './validate';

const broken = `${service('reviews', 'default', { app: 'reviews' })}
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default, annotations: {galley.istio.io/analyze-suppress: "IST0112"}}
spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: v9}}]}]}
---`;

describe('validate', () => {
  it('drops the codes an object suppresses with galley.istio.io/analyze-suppress', () => {
    expect(findings(broken, 'vs.')).toHaveLength(1);
    expect(findings(broken.replace('IST0112', 'IST0112, IST0101'), 'vs.')).toEqual([]);
    expect(findings(broken.replace('IST0112', '*'), 'vs.')).toEqual([]);
  });

  it('drops findings of the ignore list, by any of their codes, optionally for matching objects only', () => {
    expect(findings(broken, 'vs.', { ignore: [{ code: 'KIA1107' }] })).toEqual([]);
    expect(
      findings(broken, 'vs.', {
        ignore: [{ code: 'vs.destination.subset-not-found', resource: 'VirtualService default/*' }],
      }),
    ).toEqual([]);
    expect(
      findings(broken, 'vs.', { ignore: [{ code: 'IST0101', resource: 'VirtualService other/*' }] }),
    ).toHaveLength(1);
  });

  it('fills every finding: code, severity, object, path and a message', () => {
    const [finding] = validate(snapshotOf(broken));
    expect(finding).toMatchObject({
      code: 'vs.destination.subset-not-found',
      istioCode: 'IST0101',
      kialiCode: 'KIA1107',
      severity: 'error',
      object: { kind: 'VirtualService', namespace: 'default', name: 'reviews' },
      path: 'spec.http[0].route[0].destination.subset',
    });
    expect(finding?.message).toMatch(/Subset "v9" of "reviews" is not defined/);
  });
});

describe('Validator', () => {
  const sorted = (list: ReturnType<typeof validate>) => list.map(describeFinding).sort();

  function mutate(object: IstioObject, change: (spec: Record<string, unknown>) => void): IstioObject {
    const copy = structuredClone(object);
    change(copy.spec);
    return copy;
  }

  it('after each change, holds the same findings as a validation from scratch', () => {
    const { snapshot } = syntheticMesh(1_500);
    const validator = new Validator(snapshot);
    expect(sorted(validator.findings())).toEqual(sorted(validate(snapshot)));
    const pick = (kind: string, position: number) =>
      snapshot.istio.filter((object) => object.kind === kind)[position] as IstioObject;
    const changes: { upsert?: IstioObject[]; removed?: IstioObject[] }[] = [
      {
        upsert: [
          mutate(
            pick('VirtualService', 3),
            (spec) => (spec.http = [{ route: [{ destination: { host: 'app-3', subset: 'v7' } }] }]),
          ),
        ],
      },
      { upsert: [mutate(pick('VirtualService', 5), (spec) => (spec.hosts = ['app-6']))] },
      { upsert: [mutate(pick('DestinationRule', 7), (spec) => (spec.subsets = []))] },
      {
        upsert: [
          mutate(pick('DestinationRule', 8), (spec) => (spec.trafficPolicy = { tls: { mode: 'DISABLE' } })),
        ],
      },
      { upsert: [mutate(pick('PeerAuthentication', 0), (spec) => (spec.mtls = { mode: 'DISABLE' }))] },
      { upsert: [mutate(pick('Gateway', 0), (spec) => (spec.servers = []))] },
      {
        upsert: [
          mutate(pick('ServiceEntry', 1), (spec) => (spec.hosts = ['app-2.team-1.svc.cluster.local'])),
        ],
      },
      {
        upsert: [
          mutate(pick('Sidecar', 2), (spec) => (spec.workloadSelector = { labels: { app: 'app-1' } })),
        ],
      },
      { removed: [pick('DestinationRule', 9), pick('Gateway', 0)] },
    ];
    for (const change of changes) {
      validator.apply({ upsert: change.upsert, removed: change.removed });
      for (const object of change.upsert ?? []) {
        const position = snapshot.istio.findIndex(
          (item) =>
            item.kind === object.kind && item.namespace === object.namespace && item.name === object.name,
        );
        snapshot.istio[position] = object;
      }
      const removed = new Set(
        (change.removed ?? []).map((item) => `${item.kind}/${item.namespace}/${item.name}`),
      );
      snapshot.istio = snapshot.istio.filter(
        (item) => !removed.has(`${item.kind}/${item.namespace}/${item.name}`),
      );
      expect(sorted(validator.findings())).toEqual(sorted(validate(snapshot)));
    }
  });

  it('previews the findings of an edit without keeping it', () => {
    const validator = new Validator(snapshotOf(broken));
    const before = sorted(validator.findings());
    const [current] = snapshotOf(broken).istio;
    const fixed = {
      ...(current as IstioObject),
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews-typo' } }] }] },
    };
    expect(validator.preview([fixed]).map((finding) => finding.code)).toEqual([
      'vs.destination.host-not-found',
    ]);
    expect(sorted(validator.findings())).toEqual(before);
    const created = { ...fixed, name: 'new' };
    expect(validator.preview([created]).map((finding) => finding.code)).toEqual([
      'vs.destination.host-not-found',
      'vs.host.conflict',
    ]);
    expect(sorted(validator.findings())).toEqual(before);
  });
});
