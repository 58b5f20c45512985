import { expect, test } from './fixtures';
import { CHAOS_DEMO_PORT } from './support/ports';

/**
 * Traffic leaving the mesh on the `chaos` scenario: default/catalog-sync-v1 calls
 * www.googleapis.com, which the ServiceEntry default/googleapis declares, and httpbin.org, which
 * no ServiceEntry declares and so leaves through PassthroughCluster (the mesh's default
 * ALLOW_ANY). The service entries page shows the entry with its caller and rate and the
 * unregistered traffic by cluster and host; the graph's table view lists both edges.
 */
const BASE_URL = `http://127.0.0.1:${CHAOS_DEMO_PORT}`;
/** The direct telemetry window fills as the demo's traffic runs: give it time after start. */
const TRAFFIC_MS = 60_000;

test.use({ baseURL: BASE_URL });

test.describe('external hosts on the chaos mesh', () => {
  test('the service entries page shows the ServiceEntry host with its caller and the passthrough traffic', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto('/serviceentries?namespaces=default');
    await expect(page.getByRole('heading', { level: 1, name: 'Service entries' })).toBeVisible();
    const entries = page.getByTestId('serviceentries-table');
    const googleapis = entries
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'default/googleapis' }) });
    await expect(googleapis).toContainText('www.googleapis.com');
    await expect(googleapis).toContainText('80/HTTP, 443/HTTPS');
    // Its caller shows once the telemetry window holds a few scrapes.
    await expect(googleapis).toContainText('catalog-sync-v1', { timeout: TRAFFIC_MS });
    await expect(googleapis).not.toContainText('none in the window');

    const unregistered = page.getByRole('table', {
      name: 'Requests to PassthroughCluster and BlackHoleCluster',
    });
    const passthrough = unregistered
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'default/catalog-sync-v1' }) });
    await expect(passthrough).toContainText('PassthroughCluster', { timeout: TRAFFIC_MS });
    await expect(passthrough).toContainText('httpbin.org');
    // ALLOW_ANY lets it through: no errors.
    await expect(passthrough).toContainText('0.0%');

    // The filter narrows the entries by host, as a user types it.
    await page.getByLabel('Filter service entries').fill('no-such-host');
    await expect(page.getByText('No service entry name or host contains “no-such-host”.')).toBeVisible();
  });

  test("the graph's table view lists the caller's edges to the ServiceEntry and to PassthroughCluster", async ({
    graphPage,
  }) => {
    test.setTimeout(120_000);
    await graphPage.goto({ namespaces: 'default', graphType: 'workload', view: 'table' });
    // Istio reports PassthroughCluster in no namespace: the table names it `(unknown)`.
    const toPassthrough = graphPage.edgeRow('catalog-sync-v1', 'PassthroughCluster (unknown)');
    await expect(toPassthrough).toBeVisible({ timeout: TRAFFIC_MS });
    const toEntry = graphPage.edgeRow('catalog-sync-v1', 'googleapis');
    await expect(toEntry).toBeVisible();
    await expect(graphPage.nodeRow('PassthroughCluster')).toBeVisible();
    // about 1 req/s to httpbin.org and 2 req/s to the Google Books API
    const rps = async (row: typeof toEntry) =>
      Number.parseFloat(await graphPage.cellText(graphPage.edgesTable, row, 'Req/s'));
    await expect.poll(async () => rps(toPassthrough), { timeout: TRAFFIC_MS }).toBeGreaterThan(0.5);
    expect(await rps(toEntry)).toBeGreaterThan(await rps(toPassthrough));

    // PassthroughCluster is no Service of the cluster: its panel leads to the service entries page.
    await graphPage.nodeRow('PassthroughCluster').getByRole('button', { name: 'PassthroughCluster' }).click();
    await expect(graphPage.sidePanel).toContainText('Outside the mesh (an external host');
    await expect(graphPage.sidePanel.getByRole('link', { name: 'Open the service page' })).toHaveCount(0);
    await graphPage.sidePanel.getByRole('link', { name: 'Open the service entries page' }).click();
    await expect(graphPage.page.getByRole('heading', { level: 1, name: 'Service entries' })).toBeVisible();
  });
});
