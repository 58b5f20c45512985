import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { expect, test } from './fixtures';
import { WorkloadPage } from './pages/WorkloadPage';
import { demoKubeconfig } from './support/cluster';
import { CHAOS_DEMO_PORT, DEMO_PORT } from './support/ports';

const ERROR_RATE = 'simulator.meshscope.io/error-rate';

/** The chaos demo's pods, through its admin kubeconfig (as `kubectl annotate pod` would). */
function chaosCore(): CoreV1Api {
  const config = new KubeConfig();
  config.loadFromFile(demoKubeconfig(CHAOS_DEMO_PORT));
  return config.makeApiClient(CoreV1Api);
}

async function annotatePod(core: CoreV1Api, name: string, annotations: Record<string, string | null>) {
  await core.patchNamespacedPod(
    { namespace: 'default', name, body: { metadata: { annotations } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/**
 * The workload pages as a platform engineer uses them to debug: from the list into reviews-v3,
 * its traffic charts, the routes its sidecar holds (the seeded 50/50 reviews split) and its access
 * log filtered by response class; on the chaos demo, a ratings pod made to fail shows its 5xx in
 * its log (ratings has no outlier detection, so its callers keep sending to it; the flaky reviews
 * pod is ejected for minutes at a time by then, which made its callers' logs an unreliable source).
 */

test.describe('on the bookinfo demo', () => {
  test.use({ baseURL: `http://127.0.0.1:${DEMO_PORT}` });

  test('open reviews-v3 from the list: charts with traffic, the 50/50 routes, the access log and its 5xx filter', async ({
    page,
    consoleErrors,
  }) => {
    test.setTimeout(3 * 60_000);
    const workloads = new WorkloadPage(page);
    await workloads.gotoList(['default']);
    await expect(workloads.table.getByRole('link', { name: 'productpage-v1', exact: true })).toBeVisible();
    await workloads.open('reviews-v3');
    await expect(page).toHaveURL(/\/workloads\/default\/reviews-v3/);
    await expect(page.getByTestId('pods-table')).toContainText('injected');

    // Charts: the direct source begins scraping when asked; poll every 10 s until rates show.
    await workloads.setRefresh('10s');
    await expect(page).toHaveURL(/refresh=10s/);
    await expect
      .poll(() => workloads.latestRate(workloads.inboundRateSummary), { timeout: 90_000, intervals: [2_000] })
      .toBeGreaterThan(0);
    await expect(page.getByTestId('traffic-inbound-rate').locator('svg').first()).toBeVisible();
    await expect(page.getByTestId('traffic-inbound-latency-summary')).toContainText(/p95 \d/);
    // reviews-v3 calls ratings.
    await expect
      .poll(() => workloads.latestRate(workloads.outboundRateSummary), {
        timeout: 60_000,
        intervals: [2_000],
      })
      .toBeGreaterThan(0);

    // The routes table of its proxy config holds the reviews split as seeded.
    await expect(workloads.routesTable).toBeVisible({ timeout: 30_000 });
    await workloads.searchProxyConfig('reviews.default');
    await expect(page).toHaveURL(/q=reviews.default/);
    const reviewsRoute = workloads.routesTable
      .getByRole('row')
      .filter({ hasText: 'reviews.default.svc.cluster.local:9080' });
    await expect(reviewsRoute.first()).toContainText('reviews v1 50%, reviews v3 50%');
    await workloads.searchProxyConfig('no-such-thing-anywhere');
    await expect(workloads.proxyConfig.getByTestId('empty-state')).toContainText('match the search');
    await workloads.searchProxyConfig('');
    await workloads.showProxyTab('Clusters');
    await expect(page.getByTestId('proxy-clusters-table')).toBeVisible();
    await workloads.showProxyTab('Raw JSON');
    await expect(page.getByTestId('proxy-raw-json')).toHaveValue(/ClustersConfigDump/);

    // The access log shows recent requests; bookinfo answers no 5xx, so that filter empties it.
    await expect(workloads.accessLogTable).toBeVisible();
    const codes = await workloads.logCodes();
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((code) => code === 200)).toBe(true);
    await workloads.filterLog('5xx');
    await expect(page).toHaveURL(/code=5xx/);
    await expect(workloads.accessLog.getByTestId('empty-state')).toContainText('No matching requests');
    await expect(workloads.accessLogTable).toHaveCount(0);
    await workloads.filterLog('2xx');
    await expect(workloads.accessLogTable).toBeVisible();
    expect((await workloads.logCodes()).every((code) => code >= 200 && code < 300)).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  test('a bookmarked workload page keeps its window, tab and filters', async ({ page }) => {
    const workloads = new WorkloadPage(page);
    await page.goto('/workloads/default/reviews-v3?duration=1800s&tab=clusters&code=2xx');
    await expect(page.getByRole('combobox', { name: 'Time window' })).toHaveValue('1800');
    await expect(workloads.proxyConfig.getByRole('tab', { name: /^Clusters/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(workloads.accessLog.getByRole('combobox', { name: 'Response code' })).toHaveValue('2xx');
  });
});

test.describe('on the chaos demo', () => {
  test.use({ baseURL: `http://127.0.0.1:${CHAOS_DEMO_PORT}` });

  test("a failing ratings pod's 5xx show in its access log, and the 5xx filter keeps only them", async ({
    page,
  }) => {
    test.setTimeout(2 * 60_000);
    const core = chaosCore();
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=ratings' });
    const ratings = pods.items[0]?.metadata?.name;
    if (!ratings) throw new Error('the chaos scenario has no ratings pod');
    await annotatePod(core, ratings, { [ERROR_RATE]: '0.5' });
    try {
      const workloads = new WorkloadPage(page);
      await workloads.gotoList(['default']);
      // The list says which workload runs without a sidecar.
      await expect(workloads.table.getByRole('row').filter({ hasText: 'mongodb-v1' })).toContainText(
        'missing',
      );
      await workloads.open('ratings-v1');
      await workloads.filterLog('5xx');
      await page.getByRole('checkbox', { name: /Follow/ }).check();
      await expect(workloads.accessLogTable).toBeVisible({ timeout: 60_000 });
      const codes = await workloads.logCodes();
      expect(codes.length).toBeGreaterThan(0);
      expect(codes.every((code) => code >= 500 && code < 600)).toBe(true);
    } finally {
      await annotatePod(core, ratings, { [ERROR_RATE]: null });
    }
  });

  test('a pod without a sidecar says why', async ({ page }) => {
    const workloads = new WorkloadPage(page);
    await workloads.gotoList(['default']);
    await workloads.open('mongodb-v1');
    await expect(page.getByTestId('pods-table')).toContainText('sidecar.istio.io/inject=false');
    await expect(page.getByTestId('empty-state').filter({ hasText: 'No proxy to inspect' })).toBeVisible();
  });
});
