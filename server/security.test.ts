/**
 * The security views against the simulated `chaos` mesh over real HTTPS: the configuration from
 * caches on the admin kubeconfig, telemetry from direct scrapes of the sidecars (driven tick by
 * tick with a fake clock). The what-if decisions are compared with what the simulator's traffic
 * engine, an independent implementation, did to the same requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthzCheckRequest } from '@/lib/types/security';
import { podNames, scrapePod } from '@/sim/testing/cluster-client';
import { eventually, startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot } from './config-snapshot';
import { AppError } from './errors';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { checkAuthorization, getMtls, getPolicies, type SecurityContext } from './security';
import { DirectTelemetrySource } from './telemetry/direct-source';
import { FakeClock } from './telemetry/fake-clock';

const INTERVAL_MS = 5_000;
const NAMESPACES = ['default', 'legacy'];

/** Requests a workload's pods received (destination-reported), from `source_workload`, by response code. */
async function received(
  simulator: TestSimulator,
  app: string,
  source: string,
): Promise<Record<string, number>> {
  const codes: Record<string, number> = {};
  for (const pod of await podNames(simulator, 'default', `app=${app}`)) {
    const series = await scrapePod(simulator, 'default', pod);
    for (const entry of series) {
      if (entry.name !== 'istio_requests_total') continue;
      if (entry.labels.reporter !== 'destination' || entry.labels.source_workload !== source) continue;
      const code = entry.labels.response_code ?? '';
      codes[code] = (codes[code] ?? 0) + entry.value;
    }
  }
  return codes;
}

const check = (source: AuthzCheckRequest['source'], workload: string, path: string): AuthzCheckRequest => ({
  source,
  destination: { namespace: 'default', workload },
  request: { method: 'GET', path, port: 9080 },
});

describe('security views of the chaos mesh', () => {
  let simulator: TestSimulator;
  let admin: Cluster;
  let caches: ResourceCaches;
  let clock: FakeClock;
  let direct: DirectTelemetrySource;
  let context: SecurityContext;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 7 });
    admin = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    caches = new ResourceCaches(admin);
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    direct = new DirectTelemetrySource(admin, { clock, intervalMs: INTERVAL_MS });
    context = {
      snapshot: (namespaces) => getConfigSnapshot(namespaces, { caches }),
      telemetry: async () => direct,
      windowSeconds: 60,
    };
    await direct.snapshot({ namespaces: NAMESPACES, windowSeconds: 60 });
    await getConfigSnapshot(undefined, { caches });
  });
  afterAll(async () => {
    direct?.close();
    await caches?.stop();
    await simulator?.dispose();
  });

  /** `seconds` of simulated traffic, one scrape round per interval. */
  async function run(seconds: number) {
    for (let elapsed = 0; elapsed < seconds * 1000; elapsed += INTERVAL_MS) {
      simulator.engine.tick(clock.now() + INTERVAL_MS, INTERVAL_MS / 1000);
      clock.advance(INTERVAL_MS);
      await direct.settled();
    }
  }

  it('decides as the traffic engine does: the plaintext caller is denied on ratings and allowed on details', async () => {
    await run(10);
    const legacyToRatings = await received(simulator, 'ratings', 'unknown');
    const legacyToDetails = await received(simulator, 'details', 'unknown');
    const reviewsToRatings = await received(simulator, 'ratings', 'reviews-v3');
    // What the simulator did.
    expect(legacyToRatings['403']).toBeGreaterThan(0);
    expect(legacyToRatings['200']).toBeUndefined();
    expect(legacyToDetails['200']).toBeGreaterThan(0);
    expect(legacyToDetails['403']).toBeUndefined();
    expect(reviewsToRatings['200']).toBeGreaterThan(0);

    // What the what-if says, for the caller as a workload and as a bare namespace.
    const legacy = { namespace: 'legacy', workload: 'legacy-client-v1' };
    const denied = await checkAuthorization(check(legacy, 'ratings-v1', '/ratings/1'), context);
    expect(denied).toMatchObject({
      decision: 'DENY',
      stage: 'authorization',
      policy: {
        kind: 'AuthorizationPolicy',
        namespace: 'default',
        name: 'ratings-deny-plaintext',
        action: 'DENY',
      },
      rule: 0,
      peer: { mtls: false, port: 9080 },
      warnings: [],
    });
    expect(denied.reason).toContain('notPrincipals ["*"] cannot exclude');
    expect(denied.notes).toEqual([]);
    expect(denied.peer.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(
      (await checkAuthorization(check({ namespace: 'legacy' }, 'ratings-v1', '/ratings/1'), context))
        .decision,
    ).toBe('DENY');
    expect((await checkAuthorization(check(legacy, 'details-v1', '/details/1'), context)).decision).toBe(
      'ALLOW',
    );
    const inMesh = await checkAuthorization(
      check({ namespace: 'default', workload: 'reviews-v3' }, 'ratings-v1', '/ratings/0'),
      context,
    );
    expect(inMesh).toMatchObject({
      decision: 'ALLOW',
      peer: { mtls: true, principal: 'cluster.local/ns/default/sa/bookinfo-reviews' },
    });
  });

  it('agrees with the engine on an ALLOW policy applied while traffic flows', async () => {
    const name = 'details-productpage-only';
    simulator.cluster.apply([
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name, namespace: 'default' },
        spec: {
          selector: { matchLabels: { app: 'details' } },
          rules: [
            {
              from: [{ source: { principals: ['cluster.local/ns/default/sa/bookinfo-productpage'] } }],
              to: [{ operation: { methods: ['GET'], paths: ['/details/*'] } }],
            },
          ],
        },
      },
    ]);
    await eventually(() => caches.cache('authorizationpolicies').get(name, 'default'), 5_000, 'the policy');
    const before = await received(simulator, 'details', 'unknown');
    const fromProductpage = await received(simulator, 'details', 'productpage-v1');
    await run(5);
    const after = await received(simulator, 'details', 'unknown');
    const productpageAfter = await received(simulator, 'details', 'productpage-v1');
    expect(after['403'] ?? 0).toBeGreaterThan(before['403'] ?? 0);
    expect(after['200']).toBe(before['200']);
    expect(productpageAfter['200'] ?? 0).toBeGreaterThan(fromProductpage['200'] ?? 0);

    const legacy = await checkAuthorization(
      check({ namespace: 'legacy', workload: 'legacy-client-v1' }, 'details-v1', '/details/1'),
      context,
    );
    expect(legacy).toMatchObject({ decision: 'DENY', stage: 'authorization' });
    expect(legacy.policy).toBeUndefined();
    expect(legacy.reason).toContain(`ALLOW policies apply (default/${name}) and none matches`);
    const productpage = await checkAuthorization(
      check({ namespace: 'default', workload: 'productpage-v1' }, 'details-v1', '/details/0'),
      context,
    );
    expect(productpage).toMatchObject({ decision: 'ALLOW', policy: { name }, rule: 0 });

    simulator.cluster.operations.delete(
      simulator.cluster.type('security.istio.io', 'authorizationpolicies'),
      'default',
      name,
      {
        system: true,
      },
    );
    await eventually(
      () => (caches.cache('authorizationpolicies').get(name, 'default') ? undefined : true),
      5_000,
      'the policy to go',
    );
  });

  it('agrees with the engine that auto-mTLS still sends mTLS to a workload-level DISABLE, which fails', async () => {
    const name = 'details-off';
    const peerAuthentications = simulator.cluster.type('security.istio.io', 'peerauthentications');
    simulator.cluster.apply([
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name, namespace: 'default' },
        spec: { selector: { matchLabels: { app: 'details' } }, mtls: { mode: 'DISABLE' } },
      },
    ]);
    await eventually(() => caches.cache('peerauthentications').get(name, 'default'), 5_000, 'the policy');
    const refusedBy = async () => {
      let sum = 0;
      for (const pod of await podNames(simulator, 'default', 'app=productpage')) {
        for (const entry of await scrapePod(simulator, 'default', pod)) {
          const { labels } = entry;
          if (entry.name === 'istio_requests_total' && labels.reporter === 'source')
            if (labels.destination_service_name === 'details' && labels.destination_workload === 'unknown')
              sum += entry.value;
        }
      }
      return sum;
    };
    const before = await refusedBy();
    const delivered = await received(simulator, 'details', 'productpage-v1');
    await run(5);
    expect(await refusedBy()).toBeGreaterThan(before);
    expect(await received(simulator, 'details', 'productpage-v1')).toEqual(delivered);

    const answer = await checkAuthorization(
      check({ namespace: 'default', workload: 'productpage-v1' }, 'details-v1', '/details/0'),
      context,
    );
    expect(answer).toMatchObject({
      decision: 'DENY',
      stage: 'connection',
      policy: { kind: 'PeerAuthentication', namespace: 'default', name },
    });
    const view = await getMtls(['default'], context);
    expect(view.conflicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'auto-mtls-to-disable', workload: 'details-v1', port: 9080 }),
      ]),
    );

    simulator.cluster.operations.delete(peerAuthentications, 'default', name, { system: true });
    await eventually(
      () => (caches.cache('peerauthentications').get(name, 'default') ? undefined : true),
      5_000,
      'the policy to go',
    );
  });

  it('shows PERMISSIVE with the plaintext caller observed, and lists the policies', async () => {
    await run(60);
    const view = await getMtls(NAMESPACES, context);
    expect(view.telemetry).toEqual({ source: 'direct', windowSeconds: 60 });
    expect(view.mesh).toMatchObject({
      rootNamespace: 'istio-system',
      mode: 'PERMISSIVE',
      origin: { level: 'default' },
      autoMtls: true,
    });
    expect(view.namespaces.map((namespace) => [namespace.namespace, namespace.status])).toEqual([
      ['default', 'PERMISSIVE'],
      ['legacy', 'PERMISSIVE'],
    ]);
    const ratings = view.workloads.find((workload) => workload.name === 'ratings-v1');
    expect(ratings).toMatchObject({
      sidecar: true,
      mode: 'PERMISSIVE',
      ports: [{ port: 9080, mode: 'PERMISSIVE' }],
    });
    expect(ratings?.observed?.plaintextSources).toEqual([
      expect.objectContaining({ namespace: 'unknown', workload: 'unknown' }),
    ]);
    expect(ratings?.observed?.mtlsPercent).toBeGreaterThan(0);
    expect(ratings?.observed?.mtlsPercent).toBeLessThan(100);
    expect(view.workloads.find((workload) => workload.name === 'mongodb-v1')).toMatchObject({
      sidecar: false,
    });
    expect(view.conflicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'permissive-receives-plaintext', workload: 'ratings-v1' }),
        expect.objectContaining({ code: 'permissive-receives-plaintext', workload: 'details-v1' }),
        expect.objectContaining({ code: 'permissive-all-mtls', workload: 'reviews-v1' }),
      ]),
    );
    const plaintextEdge = view.edges.find(
      (edge) => edge.destination.workload === 'ratings-v1' && edge.source.workload === 'unknown',
    );
    expect(plaintextEdge).toMatchObject({
      mtlsPercent: 0,
      expected: 'plaintext',
      mismatch: 'PERMISSIVE destination accepting plaintext',
    });
    expect(
      view.edges.find(
        (edge) => edge.source.workload === 'reviews-v3' && edge.destination.workload === 'ratings-v1',
      ),
    ).toMatchObject({
      mtlsPercent: 100,
      expected: 'mutual',
    });

    const policies = await getPolicies(['default'], context);
    expect(policies.authorizationPolicies).toEqual([
      expect.objectContaining({
        name: 'ratings-deny-plaintext',
        action: 'DENY',
        scope: 'workload',
        selects: [{ namespace: 'default', name: 'ratings-v1', sidecar: true }],
        rules: [
          { index: 0, text: 'deny every request from callers without a mutual-TLS identity (plaintext)' },
        ],
      }),
    ]);
    expect(policies.workloads.find((workload) => workload.name === 'ratings-v1')).toMatchObject({
      defaultAction: 'allow',
    });
  });

  it('says STRICT once a STRICT PeerAuthentication is applied, and the plaintext caller then fails', async () => {
    simulator.cluster.apply([
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'strict', namespace: 'default' },
        spec: { mtls: { mode: 'STRICT' } },
      },
    ]);
    await eventually(() => caches.cache('peerauthentications').get('strict', 'default'), 5_000, 'the policy');
    const plaintextBefore = await received(simulator, 'ratings', 'unknown');
    const mutualBefore = await received(simulator, 'ratings', 'reviews-v3');
    await run(10);
    // The engine refuses the plaintext caller's connections now; in-mesh callers carry on.
    expect(await received(simulator, 'ratings', 'unknown')).toEqual(plaintextBefore);
    expect((await received(simulator, 'ratings', 'reviews-v3'))['200'] ?? 0).toBeGreaterThan(
      mutualBefore['200'] ?? 0,
    );

    const view = await getMtls(NAMESPACES, context);
    const ratings = view.workloads.find((workload) => workload.name === 'ratings-v1');
    expect(ratings).toMatchObject({
      mode: 'STRICT',
      origin: {
        level: 'namespace',
        policy: { namespace: 'default', name: 'strict' },
        path: 'spec.mtls.mode',
      },
      ports: [
        { port: 9080, mode: 'STRICT', clients: [{ clientNamespace: '*', mode: 'AUTO', mutual: true }] },
      ],
    });
    // Plaintext still inside the window arrived before the policy: reported as such.
    expect(view.conflicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'strict-received-plaintext', workload: 'ratings-v1' }),
        expect.objectContaining({ code: 'policy-without-sidecar', workload: 'mongodb-v1', severity: 'info' }),
      ]),
    );
    expect(view.namespaces.find((namespace) => namespace.namespace === 'default')).toMatchObject({
      mode: 'STRICT',
      status: 'STRICT',
    });

    const refused = await checkAuthorization(
      check({ namespace: 'legacy', workload: 'legacy-client-v1' }, 'ratings-v1', '/ratings/1'),
      context,
    );
    expect(refused).toMatchObject({
      decision: 'DENY',
      stage: 'connection',
      policy: { kind: 'PeerAuthentication', namespace: 'default', name: 'strict' },
    });
    expect(
      (
        await checkAuthorization(
          check({ namespace: 'legacy', workload: 'legacy-client-v1' }, 'details-v1', '/details/1'),
          context,
        )
      ).stage,
    ).toBe('connection');

    // A DestinationRule that disables TLS towards STRICT: the engine refuses reviews' requests too.
    const destinationRules = simulator.cluster.type('networking.istio.io', 'destinationrules');
    const original = simulator.cluster.operations.get(destinationRules, 'default', 'ratings');
    const originalSpec = original.spec as Record<string, unknown>;
    simulator.cluster.apply([
      { ...original, spec: { ...originalSpec, trafficPolicy: { tls: { mode: 'DISABLE' } } } },
    ]);
    await eventually(
      () =>
        (caches.cache('destinationrules').get('ratings', 'default')?.spec.trafficPolicy as { tls?: unknown })
          ?.tls
          ? true
          : undefined,
      5_000,
      'the DestinationRule change',
    );
    const delivered = await received(simulator, 'ratings', 'reviews-v3');
    await run(10);
    expect(await received(simulator, 'ratings', 'reviews-v3')).toEqual(delivered);
    const broken = await getMtls(['default'], context);
    expect(broken.conflicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'dr-disable-to-strict', workload: 'ratings-v1', port: 9080 }),
        expect.objectContaining({ code: 'strict-plaintext-failing', namespace: 'default' }),
      ]),
    );
    expect(
      await checkAuthorization(
        check({ namespace: 'default', workload: 'reviews-v3' }, 'ratings-v1', '/ratings/0'),
        context,
      ),
    ).toMatchObject({
      decision: 'DENY',
      stage: 'connection',
      policy: { kind: 'PeerAuthentication', name: 'strict' },
    });
    simulator.cluster.apply([{ ...original, spec: originalSpec }]);
    await eventually(
      () =>
        (caches.cache('destinationrules').get('ratings', 'default')?.spec.trafficPolicy as { tls?: unknown })
          ?.tls
          ? undefined
          : true,
      5_000,
      'the DestinationRule restored',
    );

    // A minute later the window holds no plaintext to ratings any more.
    await run(65);
    const later = await getMtls(['default'], context);
    expect(later.workloads.find((workload) => workload.name === 'ratings-v1')?.observed).toMatchObject({
      mtlsPercent: 100,
      plaintextSources: [],
    });
    expect(later.conflicts.map((conflict) => conflict.code)).not.toContain('strict-received-plaintext');
  });

  it('answers not-found for a destination that does not exist', async () => {
    await expect(
      checkAuthorization(check({ namespace: 'legacy' }, 'no-such-workload', '/'), context),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(
      checkAuthorization(check({ namespace: 'legacy' }, 'no-such-workload', '/'), context),
    ).rejects.toBeInstanceOf(AppError);
  });

  it('warns and still answers from configuration when telemetry fails', async () => {
    const view = await getMtls(['default'], {
      ...context,
      telemetry: async () => {
        throw new AppError('unavailable:prometheus', 'Prometheus at http://127.0.0.1:9 is not answering');
      },
    });
    expect(view.telemetry).toBeNull();
    expect(view.edges).toEqual([]);
    expect(view.warnings).toEqual([
      {
        source: 'telemetry',
        message:
          'No observed mTLS: Prometheus at http://127.0.0.1:9 is not answering. The modes shown come from configuration alone.',
      },
    ]);
    expect(view.workloads.find((workload) => workload.name === 'ratings-v1')).toMatchObject({
      mode: 'STRICT',
      observed: null,
    });
  });
});
