/**
 * The process-wide validation against the simulator: bookinfo's findings, a broken VirtualService
 * applied and fixed through the API server (picked up incrementally), the optional kinds, and what
 * a read-only identity loses.
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot } from './config-snapshot';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { getValidations, ValidationService } from './validations';

const vs = { group: 'networking.istio.io', version: 'v1', namespace: 'default', plural: 'virtualservices' };

const broken = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'details-broken', namespace: 'default' },
  spec: {
    hosts: ['details.example.internal'],
    http: [{ route: [{ destination: { host: 'details', subset: 'v9' } }] }],
  },
};

describe('validations of bookinfo', () => {
  let simulator: TestSimulator;
  let caches: ResourceCaches;
  let service: ValidationService;
  let custom: CustomObjectsApi;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    const kubeConfig = loadKubeConfig(simulator.kubeconfigs.admin, undefined);
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
    caches = new ResourceCaches(clusterFromKubeConfig(kubeConfig));
    service = new ValidationService(caches, { rebuildIntervalMs: 60_000, checkTlsCredentials: true });
  });
  afterAll(async () => {
    await caches?.stop();
    await simulator?.dispose();
  });

  it('validates with every optional kind read and the CRD schemas loaded', async () => {
    const response = await getValidations([], { service });
    expect(response.warnings).toEqual([]);
    expect(response.counts.total).toBe(response.findings.length);
    expect(service.schemaRegistry.size).toBeGreaterThanOrEqual(10);
    expect(response.findings.filter((finding) => finding.code === 'schema.invalid')).toEqual([]);
    const { snapshot } = await getConfigSnapshot(undefined, { caches, validation: true, secrets: true });
    expect(snapshot.secrets).toBeDefined();
    expect(snapshot.serviceAccounts?.some((account) => account.name === 'bookinfo-reviews')).toBe(true);
    expect(snapshot.nodes).toBeDefined();
    expect(snapshot.mesh).toBeDefined();
  });

  it('never lists Secrets unless TLS credential checks are asked for', async () => {
    const fresh = new ResourceCaches(caches.cluster);
    try {
      const response = await getValidations([], { service: new ValidationService(fresh) });
      expect(response.warnings).toEqual([]);
      expect(fresh.statuses().map((status) => status.resource)).not.toContain('secrets');
      expect(fresh.statuses().map((status) => status.resource)).toContain('serviceaccounts');
    } finally {
      await fresh.stop();
    }
  });

  it('reports a subset no DestinationRule defines as soon as the watch delivers it, and drops it once fixed', async () => {
    const before = (await getValidations(['default'], { service })).findings.length;
    await custom.createNamespacedCustomObject({ ...vs, body: broken });
    const finding = await eventually(
      async () =>
        (await getValidations(['default'], { service })).findings.find(
          (item) => item.object.name === 'details-broken' && item.code === 'vs.destination.subset-not-found',
        ),
      10_000,
      'the subset finding',
    );
    expect(finding).toMatchObject({
      istioCode: 'IST0101',
      kialiCode: 'KIA1107',
      severity: 'error',
      path: 'spec.http[0].route[0].destination.subset',
    });
    expect(service.findingsOf(finding.object).map((item) => item.code)).toContain(
      'vs.destination.subset-not-found',
    );
    // A draft with the fix previews clean, and the validation is left as it was.
    const current = service.object('VirtualService', 'default', 'details-broken');
    if (!current) throw new Error('the broken VirtualService is not in the validation');
    const fixed = structuredClone(current);
    fixed.spec = { ...fixed.spec, http: [{ route: [{ destination: { host: 'details', subset: 'v1' } }] }] };
    expect(
      service.preview([fixed]).filter((item) => item.code === 'vs.destination.subset-not-found'),
    ).toEqual([]);
    expect(service.findingsOf(finding.object).length).toBeGreaterThan(0);

    await custom.deleteNamespacedCustomObject({ ...vs, name: 'details-broken' });
    await eventually(
      async () =>
        (await getValidations(['default'], { service })).findings.length === before ? true : undefined,
      10_000,
      'the finding to go',
    );
  });

  it('checks drafts against the CRD schema (IST0106)', () => {
    const current = service.object('VirtualService', 'default', 'reviews');
    if (!current) throw new Error('bookinfo has no reviews VirtualService');
    const draft = structuredClone(current);
    draft.spec = { ...draft.spec, hosts: 'reviews', tcpRoutes: [] };
    const schema = service.preview([draft]).filter((finding) => finding.code === 'schema.invalid');
    expect(schema.map((finding) => [finding.istioCode, finding.path]).sort()).toEqual([
      ['IST0106', 'spec.hosts'],
      ['IST0106', 'spec.tcpRoutes'],
    ]);
    expect(schema.find((finding) => finding.path === 'spec.tcpRoutes')?.message).toMatch(
      /^Unknown field "tcpRoutes" at spec/,
    );
    expect(schema.find((finding) => finding.path === 'spec.hosts')?.message).toMatch(
      /^spec.hosts must be array/,
    );
  });
});

describe('validations as the read-only viewer', () => {
  let simulator: TestSimulator;
  let caches: ResourceCaches;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    caches = new ResourceCaches(
      clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.viewer, undefined)),
    );
  });
  afterAll(async () => {
    await caches?.stop();
    await simulator?.dispose();
  });

  it('skips the Gateway credential check and says so, since the viewer may not list Secrets', async () => {
    const service = new ValidationService(caches, { checkTlsCredentials: true });
    const response = await getValidations([], { service });
    expect(response.warnings).toEqual([
      {
        source: 'validation',
        message: expect.stringMatching(
          /^Gateway TLS credentials \(credentialName\) are not checked: not allowed to list Secrets/,
        ),
      },
    ]);
    const { snapshot } = await getConfigSnapshot(undefined, { caches, validation: true, secrets: true });
    expect(snapshot.secrets).toBeUndefined();
    expect(snapshot.nodes).toBeDefined();
    // Other views never see the secrets cache's trouble.
    expect(caches.warnings()).toEqual([]);
  });

  it('holds findings back rather than report every host missing when Services cannot be listed', async () => {
    simulator.users.find((user) => user.id === 'viewer')?.exceptResources?.push('services');
    const blind = new ResourceCaches(
      clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.viewer, undefined)),
    );
    try {
      const response = await getValidations([], { service: new ValidationService(blind) });
      expect(response.findings).toEqual([]);
      expect(response.warnings.map((warning) => warning.message)).toContainEqual(
        expect.stringMatching(/^No findings: validation needs to list Service, which the dashboard may not/),
      );
    } finally {
      await blind.stop();
    }
  });
});
