/**
 * Token mode: telemetry is not authorized by the API server, so the graph keeps it to the
 * namespaces the caller may list pods in. A user with rights in `default` only asks for `default`
 * and `istio-system` and gets nothing of `istio-system`: no node, no edge naming it (the ingress
 * gateway's calls into `default` come from `unknown`), and a warning that one namespace was left
 * out. The admin, asking the same, sees the gateway: the check is what hides it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphResponse } from '@/lib/types/graph';
import { eventually, startTestSimulator, type TestSimulator } from '../../sim/testing/simulator-fixture';

const HOST = '127.0.0.1:3000';
const restrictedToken = 'restricted-to-default-token-0123456789';
type Handler = (request: Request, context: { params: Promise<object> }) => Promise<Response>;
let graphRoute: Handler;

async function graph(token: string): Promise<GraphResponse> {
  const response = await graphRoute(
    new Request(`http://${HOST}/api/graph?namespaces=default,istio-system&graphType=workload&duration=60`, {
      headers: { host: HOST, authorization: `Bearer ${token}` },
    }),
    { params: Promise.resolve({}) },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as GraphResponse;
}

function hasTraffic(answer: GraphResponse): boolean {
  return answer.edges.some((edge) => edge.rps > 0);
}

describe('telemetry in token mode is kept to the namespaces the caller may list pods in', () => {
  let simulator: TestSimulator;
  let adminToken: string;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', tickMs: 250 });
    simulator.cluster.authorizer.addUser({
      id: 'restricted',
      username: 'meshscope-restricted',
      groups: ['system:authenticated'],
      token: restrictedToken,
      rules: [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['default'] },
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io', 'authentication.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews'],
        },
      ],
    });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.viewer;
    process.env.MESHSCOPE_AUTH_MODE = 'token';
    process.env.MESHSCOPE_LOG_LEVEL = 'silent';
    adminToken = simulator.users.find((user) => user.id === 'admin')?.token ?? '';
    // Imported after the environment is set: the configuration is read once.
    graphRoute = ((await import('@/app/api/graph/route')) as unknown as { GET: Handler }).GET;
  });
  afterAll(async () => {
    const caches = await import('../cache/resource-caches');
    await caches.stopResourceCaches();
    await simulator?.dispose();
  });

  it('the admin sees the ingress gateway in istio-system; the restricted user sees only default', async () => {
    const admin = await eventually(
      async () => {
        const answer = await graph(adminToken);
        return answer.nodes.some((node) => node.namespace === 'istio-system') && hasTraffic(answer)
          ? answer
          : undefined;
      },
      40_000,
      'the admin graph with traffic from istio-system',
    );
    expect(admin.warnings.map((warning) => warning.message).join('\n')).not.toMatch(/left out/);

    const restricted = await eventually(
      async () => {
        const answer = await graph(restrictedToken);
        return hasTraffic(answer) ? answer : undefined;
      },
      40_000,
      'the restricted graph with traffic',
    );
    const namespaces = new Set(restricted.nodes.map((node) => node.namespace));
    namespaces.delete('unknown');
    namespaces.delete('');
    expect([...namespaces]).toEqual(['default']);
    expect(JSON.stringify({ nodes: restricted.nodes, edges: restricted.edges })).not.toContain(
      'istio-system',
    );
    expect(JSON.stringify(restricted.nodes)).not.toContain('istio-ingressgateway');
    expect(restricted.warnings.map((warning) => warning.message).join('\n')).toMatch(
      /Traffic of 1 namespace is left out/,
    );
  }, 90_000);
});
