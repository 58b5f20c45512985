import { expect, test } from './fixtures';
import { PROMETHEUS_DEMO_PORT } from './support/ports';

// `npm run demo -- --with-prometheus`: the same bookinfo, its telemetry read from a real
// Prometheus (Debian's) scraping the simulator every 5 s.
test.use({ baseURL: `http://127.0.0.1:${PROMETHEUS_DEMO_PORT}` });

/** Prometheus needs two scrapes in the rate window before it has rates, in milliseconds. */
const SETTLE_MS = 120_000;

test.describe('graph with Prometheus', () => {
  test('shows the same bookinfo graph and split, from Prometheus', async ({ graphPage }) => {
    await graphPage.goto({ namespaces: 'default', graphType: 'versionedApp', view: 'table' });

    await expect(graphPage.edgeRow('productpage v1', 'reviews')).toBeVisible({ timeout: SETTLE_MS });
    await expect(graphPage.telemetrySource).toContainText('prometheus');
    await expect(graphPage.edgeRow('reviews v3', 'ratings')).toBeVisible();
    await expect(async () => {
      const v1 = await graphPage.edgePercent('reviews', 'reviews v1');
      const v3 = await graphPage.edgePercent('reviews', 'reviews v3');
      expect(Math.abs(v1 - 50)).toBeLessThanOrEqual(5);
      expect(Math.abs(v3 - 50)).toBeLessThanOrEqual(5);
    }).toPass({ timeout: SETTLE_MS });

    await graphPage.idle.check();
    const v2 = graphPage.nodeRow('reviews v2');
    await expect(v2).toBeVisible();
    expect(await graphPage.cellText(graphPage.nodesTable, v2, 'Health')).toBe('idle');
  });
});
