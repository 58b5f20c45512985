import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { expect, test } from './fixtures';
import { GraphPage } from './pages/GraphPage';
import { ResiliencePage } from './pages/ResiliencePage';
import { demoKubeconfig } from './support/cluster';
import { CHAOS_DEMO_PORT } from './support/ports';

/**
 * Resilience on the `chaos` demo (bookinfo with a reviews-v3 pod answering 90 % 500s, outlier
 * detection on reviews: 3 consecutive 5xx, interval 5 s, baseEjectionTime 15 s). The pages poll
 * every 10 s. Each test restores what it changed: the VirtualService and DestinationRule specs as
 * read before, and the pods' simulator annotations. The security spec on the same server changes
 * only PeerAuthentications.
 */
const BASE_URL = `http://127.0.0.1:${CHAOS_DEMO_PORT}`;
test.use({ baseURL: BASE_URL });
test.describe.configure({ mode: 'serial' });

/** Two refresh intervals of the pages (10 s), plus one poll round of the callers and a little. */
const TWO_REFRESHES_MS = 2 * 10_000 + 10_000;
const ERROR_RATE = 'simulator.meshscope.io/error-rate';
const LATENCY = 'simulator.meshscope.io/latency-ms';

const config = new KubeConfig();
config.loadFromFile(demoKubeconfig(CHAOS_DEMO_PORT));
const core = config.makeApiClient(CoreV1Api);
const custom = config.makeApiClient(CustomObjectsApi);
const networking = { group: 'networking.istio.io', version: 'v1', namespace: 'default' };

interface Pod {
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
}

async function reviewsPods(): Promise<Pod[]> {
  const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=reviews' });
  return list.items as Pod[];
}

async function annotatePod(name: string, annotations: Record<string, string | null>): Promise<void> {
  await core.patchNamespacedPod(
    { namespace: 'default', name, body: { metadata: { annotations } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

type Spec = Record<string, unknown>;

async function specOf(plural: 'virtualservices' | 'destinationrules', name: string): Promise<Spec> {
  const object = (await custom.getNamespacedCustomObject({ ...networking, plural, name })) as { spec: Spec };
  return object.spec;
}

async function restoreSpec(
  plural: 'virtualservices' | 'destinationrules',
  name: string,
  spec: Spec,
): Promise<void> {
  const current = (await custom.getNamespacedCustomObject({ ...networking, plural, name })) as Record<
    string,
    unknown
  >;
  await custom.replaceNamespacedCustomObject({ ...networking, plural, name, body: { ...current, spec } });
}

async function openEdge(graph: GraphPage, source: string, target: string): Promise<void> {
  const row = graph.edgeRow(source, target);
  await row.getByRole('button').click();
}

/** Requests per second of a flag on the selected edge, and of the edge, from its side panel. */
async function flagShare(graph: GraphPage, flag: string): Promise<number> {
  const numbers = graph.sidePanel.getByTestId('edge-numbers');
  const rpsText =
    (await numbers
      .getByText(/req\/s/)
      .first()
      .textContent()) ?? '';
  const rps = Number.parseFloat(rpsText);
  const row = graph.sidePanel
    .getByTestId('response-flags')
    .getByRole('row')
    .filter({ has: graph.page.getByRole('rowheader', { name: flag, exact: true }) });
  if ((await row.count()) === 0 || !(rps > 0)) return 0;
  const flagRps = Number.parseFloat((await row.getByRole('cell').last().textContent()) ?? '0');
  return flagRps / rps;
}

test('the flaky reviews pod shows as ejected on the resilience page and the graph, and returns after its ejection time', async ({
  page,
}) => {
  test.setTimeout(7 * 60_000);
  const resilience = new ResiliencePage(page);
  const pods = await reviewsPods();
  const flaky = pods.find((pod) => pod.metadata.annotations?.[ERROR_RATE] !== undefined);
  if (!flaky) throw new Error('the chaos scenario has no flaky reviews pod');
  const flakyRate = flaky.metadata.annotations?.[ERROR_RATE] ?? '0.9';

  await resilience.gotoList(['default']);
  await expect(resilience.serviceRow('default/reviews')).toContainText('1 of 4 pods ejected', {
    timeout: TWO_REFRESHES_MS,
  });
  await expect(resilience.serviceRow('default/ratings')).toContainText('cannot eject');

  await resilience.serviceRow('default/reviews').getByRole('link').click();
  await expect(resilience.summary).toHaveText('1 of 4 pods ejected', { timeout: TWO_REFRESHES_MS });
  const row = resilience.podRow(flaky.metadata.name);
  await expect(row.getByTestId('pod-state')).toHaveText('ejected by outlier detection');
  await expect(row).toContainText('1 of 1 callers');
  await expect(row).toContainText('maxEjectionPercent 100 %');
  await expect(page.getByTestId('policy-panel')).toContainText('consecutive');
  await expect(page.getByTestId('ejection-timeline')).toBeVisible();

  // The graph: the workload and the service say so, and `ejected` finds them.
  const graph = new GraphPage(page);
  await graph.goto({ namespaces: 'default', graphType: 'workload', refresh: '10s', view: 'table' });
  await expect(graph.nodeRow('reviews-v3')).toContainText('1 of 2 pods ejected', {
    timeout: TWO_REFRESHES_MS,
  });
  await expect(graph.nodeRow('reviews')).toContainText('1 of 4 pods ejected');
  await graph.nodeRow('reviews-v3').getByRole('button').click();
  await expect(graph.sidePanel.getByTestId('node-ejection')).toContainText('1 of 2 pods ejected');
  await graph.find.pressSequentially('ejected');
  await expect(graph.nodeRow('reviews-v3')).toHaveAttribute('data-highlighted', 'true');
  await expect(graph.nodeRow('reviews')).toHaveAttribute('data-highlighted', 'true');
  await expect(graph.nodeRow('reviews-v1')).not.toHaveAttribute('data-highlighted', 'true');

  // The pod recovers: once its ejection time is over it is back in service, and stays.
  await annotatePod(flaky.metadata.name, { [ERROR_RATE]: '0' });
  try {
    await resilience.gotoService('default', 'reviews');
    // The ejection time doubles with each ejection (15 s × n, Envoy caps it at 300 s).
    await expect(resilience.podRow(flaky.metadata.name).getByTestId('pod-state')).toHaveText('healthy', {
      timeout: 240_000,
    });
    await expect(resilience.summary).toHaveText('all 4 pods are in service');
    await expect(page.getByTestId('ejection-events')).toContainText(`${flaky.metadata.name} ejected by`);
    await expect(page.getByTestId('ejection-events')).toContainText('back at');
  } finally {
    await annotatePod(flaky.metadata.name, { [ERROR_RATE]: flakyRate });
  }
});

test('a 50 % abort injected through the route editor shows as about half FI responses on the edge', async ({
  page,
}) => {
  test.setTimeout(5 * 60_000);
  const before = await specOf('virtualservices', 'reviews');
  const resilience = new ResiliencePage(page);
  try {
    await resilience.gotoService('default', 'reviews');
    const editor = resilience.routeEditor();
    await expect(editor).toContainText('No fault injection.');
    await editor.getByLabel('Inject an abort', { exact: true }).check();
    await resilience.typeInto(editor, 'Abort % of requests', '50');
    await resilience.typeInto(editor, 'Abort HTTP status', '503');
    await expect(editor.getByRole('list', { name: 'After the change' })).toContainText(
      '50 % of requests are answered 503',
    );
    await editor.getByRole('button', { name: 'Review change' }).click();
    await expect(resilience.reviewDialog.getByTestId('line-diff')).toContainText(/\+\s+fault:/);
    await expect(resilience.reviewDialog.getByTestId('dry-run-result')).toContainText('Dry run passed');
    await resilience.reviewDialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(resilience.applied).toContainText('Applied to VirtualService default/reviews route 1');
    const spec = await specOf('virtualservices', 'reviews');
    expect((spec.http as { fault?: unknown }[])[0]?.fault).toEqual({
      abort: { httpStatus: 503, percentage: { value: 50 } },
    });

    const graph = new GraphPage(page);
    await graph.goto({
      namespaces: 'default',
      graphType: 'workload',
      refresh: '10s',
      duration: '60s',
      view: 'table',
    });
    await openEdge(graph, 'productpage-v1', 'reviews');
    // The window is 60 s: once it holds only faulted traffic, about half is FI.
    await expect(async () => {
      const share = await flagShare(graph, 'FI');
      expect(share).toBeGreaterThan(0.4);
      expect(share).toBeLessThan(0.6);
    }).toPass({ timeout: 150_000, intervals: [5_000] });
  } finally {
    await restoreSpec('virtualservices', 'reviews', before);
  }
});

test('lowering the connection pool to 1 through the DestinationRule editor under load shows overflow and UO', async ({
  page,
}) => {
  test.setTimeout(5 * 60_000);
  const before = await specOf('destinationrules', 'reviews');
  const pods = await reviewsPods();
  const latencies = new Map(
    pods.map((pod) => [pod.metadata.name, pod.metadata.annotations?.[LATENCY] ?? null]),
  );
  const resilience = new ResiliencePage(page);
  try {
    // Load: reviews answers in 500 ms, so productpage's 10 req/s keep about 5 requests in flight.
    for (const pod of pods) await annotatePod(pod.metadata.name, { [LATENCY]: '500' });
    await resilience.gotoService('default', 'reviews');
    const editor = resilience.breakerEditor();
    await expect(editor.getByLabel('http1MaxPendingRequests', { exact: true })).toHaveValue('100');
    await resilience.typeInto(editor, 'http1MaxPendingRequests', '1');
    // Envoy queues only once every connection is busy: one connection, one request waiting.
    await resilience.typeInto(editor, 'maxConnections', '1');
    await expect(editor.getByTestId('breaker-guidance')).toContainText(
      'A queue of 1 refuses bursts with 503 UO',
    );
    await resilience.reviewAndApply(editor);
    const spec = await specOf('destinationrules', 'reviews');
    expect(spec.trafficPolicy).toMatchObject({
      connectionPool: {
        tcp: { maxConnections: 1 },
        http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 10 },
      },
      outlierDetection: { consecutive5xxErrors: 3 },
    });

    await expect(async () => {
      await page.reload();
      expect(Number(await resilience.overflow.getByTestId('pending-overflow').textContent())).toBeGreaterThan(
        0,
      );
      expect(Number(await resilience.overflow.getByTestId('uo-count').textContent())).toBeGreaterThan(0);
    }).toPass({ timeout: 120_000, intervals: [10_000] });

    const graph = new GraphPage(page);
    await graph.goto({ namespaces: 'default', graphType: 'workload', refresh: '10s', view: 'table' });
    await expect(graph.edgeRow('productpage-v1', 'reviews')).toContainText('UO', {
      timeout: TWO_REFRESHES_MS,
    });
    await expect(graph.edgeRow('productpage-v1', 'reviews')).toContainText('tripped');
    await openEdge(graph, 'productpage-v1', 'reviews');
    await expect(graph.sidePanel.getByTestId('edge-breaker')).toContainText('UO (overflow)');
  } finally {
    await restoreSpec('destinationrules', 'reviews', before);
    for (const [name, latency] of latencies) await annotatePod(name, { [LATENCY]: latency });
  }
});

test('someone else changes the VirtualService meanwhile: the conflict dialog shows it, and my edit re-applied on their version keeps theirs', async ({
  page,
}) => {
  test.setTimeout(2 * 60_000);
  const before = await specOf('virtualservices', 'reviews');
  const resilience = new ResiliencePage(page);
  try {
    await resilience.gotoService('default', 'reviews');
    const editor = resilience.routeEditor();
    await resilience.typeInto(editor, 'Timeout', '3s');
    // Meanwhile, someone else adds a retry policy to the same route.
    const http = structuredClone(before.http) as Record<string, unknown>[];
    http[0] = { ...http[0], retries: { attempts: 1, retryOn: 'connect-failure' } };
    await restoreSpec('virtualservices', 'reviews', { ...before, http });

    await editor.getByRole('button', { name: 'Review change' }).click();
    const conflict = page.getByRole('dialog', {
      name: 'VirtualService default/reviews changed since you read it',
    });
    await expect(conflict.getByTestId('line-diff')).toContainText('retryOn: connect-failure');
    await conflict.getByRole('button', { name: 'Re-apply my edits on their version' }).click();
    await expect(resilience.reviewDialog.getByTestId('line-diff')).toContainText(/\+\s+timeout: 3s/);
    await expect(resilience.reviewDialog.getByTestId('dry-run-result')).toContainText('Dry run passed');
    await resilience.reviewDialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(resilience.applied).toContainText('Applied to VirtualService default/reviews route 1');
    const route = ((await specOf('virtualservices', 'reviews')).http as Record<string, unknown>[])[0];
    expect(route?.timeout).toBe('3s');
    expect(route?.retries).toEqual({ attempts: 1, retryOn: 'connect-failure' });
  } finally {
    await restoreSpec('virtualservices', 'reviews', before);
  }
});
