import { expect, test } from './fixtures';

/** Live rates need two scrapes of the sidecars, in milliseconds. */
const SETTLE_MS = 60_000;

test.describe('overview health and counts', () => {
  test("bookinfo's namespace shows its workloads, services, Istio config, traffic and health", async ({
    overviewPage,
    page,
  }) => {
    await overviewPage.goto();
    const table = overviewPage.namespacesTable;
    const row = overviewPage.namespaceRow('default');
    await expect(row).toBeVisible();
    const headers = (await table.getByRole('columnheader').allTextContents()).map((text) => text.trim());
    const cell = (column: string) => row.locator(':scope > th, :scope > td').nth(headers.indexOf(column));

    // details, productpage, ratings, reviews v1/v2/v3
    await expect(cell('Workloads')).toHaveText('6', { timeout: SETTLE_MS });
    await expect(cell('Services')).toHaveText('4');
    await expect(cell('Istio config')).not.toHaveText('0');
    await expect(cell('Health')).toHaveText('healthy', { timeout: SETTLE_MS });
    await expect(async () => {
      const text = (await cell('Req/s').textContent()) ?? '';
      expect(Number.parseFloat(text)).toBeGreaterThan(0);
    }).toPass({ timeout: SETTLE_MS });

    await row.getByRole('link', { name: 'Graph of default' }).click();
    await expect(page).toHaveURL(/\/graph\?namespaces=default&graphType=versionedApp/);
  });
});
