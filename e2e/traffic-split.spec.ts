import { expect, test } from './fixtures';
import { GraphPage } from './pages/GraphPage';
import { TrafficSplitPage } from './pages/TrafficSplitPage';
import { DemoCluster, demoKubeconfig, routeWeights } from './support/cluster';
import { VIEWER_PORT, WRITES_DEMO_PORT } from './support/ports';

/**
 * The traffic-split editor against its own demo (bookinfo with live traffic, direct telemetry),
 * whose VirtualServices these tests change; the graph tests read the seeded split from another.
 */
const BASE_URL = `http://127.0.0.1:${WRITES_DEMO_PORT}`;
test.use({ baseURL: BASE_URL });
// The tests change one VirtualService in turn.
test.describe.configure({ mode: 'serial' });

const cluster = new DemoCluster(demoKubeconfig(WRITES_DEMO_PORT));

/** The bookinfo scenario's reviews split, as seeded. */
const SEEDED_REVIEWS = {
  hosts: ['reviews'],
  http: [
    {
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
        { destination: { host: 'reviews', subset: 'v3' }, weight: 50 },
      ],
    },
  ],
};

/** The graph's refresh interval the convergence check uses, in milliseconds (`refresh=1m`). */
const GRAPH_REFRESH_MS = 60_000;

test.beforeEach(async () => {
  await cluster.setVirtualServiceSpec('default', 'reviews', SEEDED_REVIEWS);
});

test('drag reviews to 80/20/0, review the diff, apply: the cluster and then the graph follow', async ({
  trafficSplitPage: split,
  page,
  consoleErrors,
}) => {
  test.setTimeout(5 * 60_000);
  await split.goto('default', 'reviews');
  await expect(split.slider('reviews v1')).toHaveValue('50');
  await expect(split.slider('reviews v3')).toHaveValue('50');
  await expect(split.slider('reviews v2')).toHaveValue('0');
  await expect(split.row('reviews v2')).toContainText('not routed yet');

  await split.dragTo('reviews v1', 80);
  // The rest is shared in proportion: v3 had all of it, v2 nothing.
  await expect(split.slider('reviews v3')).toHaveValue('20');
  await split.lock('reviews v1');
  await split.dragTo('reviews v2', 20);
  await expect(split.slider('reviews v1')).toHaveValue('80');
  await expect(split.slider('reviews v3')).toHaveValue('0');
  await expect(split.number('reviews v2')).toHaveValue('20');
  await expect(page.getByTestId('route-total')).toContainText('Total: 100%');

  await split.review();
  const diff = split.reviewPanel.getByTestId('yaml-diff');
  await expect(diff.locator('[data-kind="removed"]', { hasText: 'weight: 50' }).first()).toBeVisible();
  await expect(diff.locator('[data-kind="added"]', { hasText: 'weight: 80' })).toHaveCount(1);
  await expect(diff.locator('[data-kind="added"]', { hasText: 'subset: v2' })).toHaveCount(1);
  await expect(split.reviewPanel.getByTestId('findings')).toBeVisible();
  // Nothing is written before apply.
  expect(routeWeights(await cluster.getVirtualService('default', 'reviews'), 0)).toEqual(['v1=50', 'v3=50']);

  const appliedAt = Date.now();
  const resourceVersion = await split.apply();
  const stored = await cluster.getVirtualService('default', 'reviews');
  expect(stored.metadata.resourceVersion).toBe(resourceVersion);
  expect(routeWeights(stored, 0)).toEqual(['v1=80', 'v3=0', 'v2=20']);
  expect(consoleErrors).toEqual([]);

  // The simulated traffic follows the new weights; the graph's table shows it within two refreshes.
  const graph = new GraphPage(page);
  await graph.goto({ namespaces: 'default', graphType: 'versionedApp', view: 'table', refresh: '1m' });
  const percent = async (target: string) =>
    (await graph.edgeRow('reviews', target).count()) === 0 ? 0 : graph.edgePercent('reviews', target);
  await expect(async () => {
    expect(Math.abs((await percent('reviews v1')) - 80)).toBeLessThanOrEqual(5);
    expect(Math.abs((await percent('reviews v2')) - 20)).toBeLessThanOrEqual(5);
    expect(await percent('reviews v3')).toBeLessThanOrEqual(5);
  }).toPass({ timeout: appliedAt + 2 * GRAPH_REFRESH_MS - Date.now(), intervals: [1_000] });
});

test('two people edit reviews: the second gets the conflict and re-applies on the latest', async ({
  browser,
}) => {
  const alice = await browser.newContext({ baseURL: BASE_URL });
  const bob = await browser.newContext({ baseURL: BASE_URL });
  const a = new TrafficSplitPage(await alice.newPage());
  const b = new TrafficSplitPage(await bob.newPage());
  await a.goto('default', 'reviews');
  await b.goto('default', 'reviews');

  // Bob starts moving traffic to v3 with the keyboard...
  await b.slider('reviews v1').focus();
  for (let step = 0; step < 4; step++) await b.page.keyboard.press('PageDown');
  await expect(b.slider('reviews v1')).toHaveValue('10');
  await expect(b.slider('reviews v3')).toHaveValue('90');

  // ...while Alice puts a header rule for x-env: canary → v2 in front of the route.
  await a.addHeaderRule({ header: 'x-env', value: 'canary', target: 'reviews v2' });
  await a.review();
  await expect(
    a.reviewPanel.getByTestId('yaml-diff').locator('[data-kind="added"]', { hasText: 'x-env:' }),
  ).toHaveCount(1);
  await a.apply();

  await b.reviewButton.click();
  await expect(b.conflictDialog).toBeVisible();
  const changed = b.conflictDialog.getByTestId('yaml-diff');
  await expect(changed.locator('[data-kind="added"]', { hasText: 'x-env:' })).toHaveCount(1);
  await expect(b.conflictDialog.getByTestId('my-split')).toContainText('reviews v1 10%, reviews v3 90%');
  await b.conflictDialog.getByRole('button', { name: 'Re-apply my split on the latest' }).click();
  await expect(b.conflictDialog).toBeHidden();
  await expect(b.appliedNotice).toBeVisible();

  const stored = await cluster.getVirtualService('default', 'reviews');
  // Alice's rule is still there, in front; Bob's split is on the route behind it.
  expect(stored.spec.http?.[0]?.match).toEqual([{ headers: { 'x-env': { exact: 'canary' } } }]);
  expect(routeWeights(stored, 0)).toEqual(['v2=-']);
  expect(routeWeights(stored, 1)).toEqual(['v1=10', 'v3=90']);

  // Bob's undo puts the weights he replaced back, and leaves Alice's rule alone.
  await b.appliedNotice.getByRole('button', { name: 'Undo' }).click();
  await expect(async () => {
    const undone = await cluster.getVirtualService('default', 'reviews');
    expect(routeWeights(undone, 1)).toEqual(['v1=50', 'v3=50']);
    expect(routeWeights(undone, 0)).toEqual(['v2=-']);
  }).toPass({ timeout: 10_000 });

  // The history lists each write with who made it (the refused attempt may be listed too).
  await expect
    .poll(() => b.history.getByTestId('history-table').getByRole('row').count(), { timeout: 20_000 })
    .toBeGreaterThanOrEqual(4);
  await expect(b.history).toContainText('applied');
  await alice.close();
  await bob.close();
});

test('the link for a service opens the editor of the VirtualService routing it', async ({
  page,
  trafficSplitPage,
}) => {
  await page.goto('/traffic-split?namespace=default&service=reviews');
  await expect(page).toHaveURL(/\/traffic-split\/default\/reviews$/);
  await expect(trafficSplitPage.slider('reviews v1')).toBeVisible();
  // ratings' VirtualService has no split, but it is the one routing ratings: its editor opens.
  await page.goto('/traffic-split?namespace=default&service=ratings');
  await expect(page).toHaveURL(/\/traffic-split\/default\/ratings$/);
});

test('the read-only user sees disabled sliders with the reason', async ({ page }) => {
  const split = new TrafficSplitPage(page);
  await page.goto(`http://127.0.0.1:${VIEWER_PORT}/traffic-split/default/reviews`);
  await expect(split.readOnlyReason).toContainText('may not patch VirtualServices in namespace default');
  await expect(split.slider('reviews v1')).toBeDisabled();
  await expect(split.number('reviews v1')).toBeDisabled();
  await expect(split.reviewButton).toHaveCount(0);
});

test('a VirtualService owned by a Flagger Canary is read-only with the owner named', async ({
  trafficSplitPage: split,
}) => {
  await cluster.deleteVirtualService('default', 'ratings-canary');
  await cluster.createVirtualService({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: {
      name: 'ratings-canary',
      namespace: 'default',
      ownerReferences: [
        {
          apiVersion: 'flagger.app/v1beta1',
          kind: 'Canary',
          name: 'ratings',
          uid: '6f1b5d2e-7a1c-4c55-9a0e-0d6f3c1e2b7a',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      hosts: ['ratings-canary.example.com'],
      http: [
        {
          route: [
            { destination: { host: 'ratings', subset: 'v1' }, weight: 90 },
            { destination: { host: 'ratings', subset: 'v2' }, weight: 10 },
          ],
        },
      ],
    },
  });
  try {
    await split.goto('default', 'ratings-canary');
    await expect(split.readOnlyReason).toContainText('Managed by Flagger');
    await expect(split.readOnlyReason).toContainText('Flagger manages these weights (Canary ratings)');
    await expect(split.slider('ratings v1')).toBeDisabled();
    await expect(split.reviewButton).toHaveCount(0);
  } finally {
    await cluster.deleteVirtualService('default', 'ratings-canary');
  }
});
