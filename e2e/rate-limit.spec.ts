import { expect, test } from './fixtures';
import { SecurityPage } from './pages/SecurityPage';
import { CHAOS_DEMO_PORT } from './support/ports';

/**
 * Envoy's local rate limit on the `chaos` scenario: inventory-poller-v1 polls inventory-v1 at
 * 6 req/s, past the 4 req/s token bucket that the EnvoyFilter default/inventory-local-ratelimit
 * puts on inventory's inbound sidecar, so about a third of the polls are answered 429 with flag
 * RL. The graph's table view shows the edge into inventory-v1 with RL, and its side panel the
 * 429s and the flag in words; the security page shows the limit on the workload.
 */
const BASE_URL = `http://127.0.0.1:${CHAOS_DEMO_PORT}`;
/** The direct telemetry window fills as the demo's traffic runs: give it time after start. */
const TRAFFIC_MS = 60_000;

test.use({ baseURL: BASE_URL });

test.describe('local rate limits on the chaos mesh', () => {
  test('the edge into the rate-limited workload shows its 429s and the RL flag in words', async ({
    graphPage,
  }) => {
    test.setTimeout(120_000);
    await graphPage.goto({ namespaces: 'default', graphType: 'workload' });
    await graphPage.showTable();
    const edge = graphPage.edgeRow('inventory', 'inventory-v1');
    await expect(edge).toBeVisible({ timeout: TRAFFIC_MS });
    await expect
      .poll(() => graphPage.cellText(graphPage.edgesTable, edge, 'Response flags'), { timeout: TRAFFIC_MS })
      .toContain('RL');

    await edge.getByRole('button').click();
    await expect(graphPage.panelHeading('inventory → inventory-v1')).toBeVisible();
    const codes = graphPage.sidePanel.getByTestId('response-codes');
    const limited = codes
      .getByRole('row')
      .filter({ has: graphPage.page.getByRole('rowheader', { name: '429', exact: true }) });
    await expect(limited).toBeVisible();
    // About a third of the polls: the share column reads between 20 % and 45 %.
    const share = Number.parseFloat((await limited.getByRole('cell').last().textContent()) ?? '');
    expect(share).toBeGreaterThan(20);
    expect(share).toBeLessThan(45);
    const flag = graphPage.sidePanel
      .getByTestId('response-flags')
      .getByRole('row')
      .filter({ has: graphPage.page.getByRole('rowheader', { name: 'RL', exact: true }) });
    await expect(flag).toContainText('rate limited');
  });

  test('the security page shows the local rate limit on the workload it applies to', async ({ page }) => {
    test.setTimeout(120_000);
    const security = new SecurityPage(page);
    await security.goto({ namespaces: 'default' });
    await expect(security.heading).toBeVisible();
    await security.tab('Authorization').click();
    const workload = page.getByLabel('Workload', { exact: true });
    await workload.selectOption('default/inventory-v1', { timeout: TRAFFIC_MS });
    await expect(page).toHaveURL(/workload=default%2Finventory-v1/);
    const details = page.getByTestId('workload-policies');
    await expect(details).toContainText(
      'Rate limits: 4 requests per 1 s (bursts up to 4) for requests the workload receives; over it the sidecar answers 429.',
    );
    // The poller it limits has none of its own.
    await workload.selectOption('default/inventory-poller-v1');
    await expect(details).toContainText('Rate limits: none.');
  });
});
