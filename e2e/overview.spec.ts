import { expect, test } from './fixtures';

test.describe('overview page', () => {
  test('lists the namespaces of the bookinfo scenario', async ({ overviewPage, consoleErrors }) => {
    await overviewPage.goto();

    await expect(overviewPage.heading).toBeVisible();
    await expect(overviewPage.namespaceHeader('default')).toBeVisible();
    await expect(overviewPage.namespaceHeader('istio-system')).toBeVisible();
    await expect(overviewPage.namespaceRow('default').getByRole('cell', { name: 'Active' })).toBeVisible();
    await expect(overviewPage.errorBanner).toHaveCount(0);
    // Next's inline bootstrap scripts must pass the Content-Security-Policy.
    expect(consoleErrors).toEqual([]);
  });

  test.describe('with a dark OS theme', () => {
    test.use({ colorScheme: 'dark' });

    test('has a dark background', async ({ overviewPage }) => {
      await overviewPage.goto();
      await expect(overviewPage.heading).toBeVisible();
      expect(await overviewPage.backgroundLuminance()).toBeLessThan(0.1);
    });
  });

  test.describe('with a light OS theme', () => {
    test.use({ colorScheme: 'light' });

    test('has a light background', async ({ overviewPage }) => {
      await overviewPage.goto();
      await expect(overviewPage.heading).toBeVisible();
      expect(await overviewPage.backgroundLuminance()).toBeGreaterThan(0.8);
    });
  });
});
