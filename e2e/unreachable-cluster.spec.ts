import { expect, test } from './fixtures';
import { UNREACHABLE_PORT } from './support/ports';

// The dashboard started with e2e/support/unreachable.kubeconfig: its API server refuses connections.
test.use({ baseURL: `http://127.0.0.1:${UNREACHABLE_PORT}` });

test.describe('when the cluster cannot be reached', () => {
  test('the overview shows a banner with the cause, not an error page', async ({ overviewPage }) => {
    await overviewPage.goto();

    await expect(overviewPage.heading).toBeVisible();
    await expect(overviewPage.errorBanner).toContainText('The cluster cannot be reached');
    await expect(overviewPage.errorBanner).toContainText('https://127.0.0.1:2');
    await expect(overviewPage.namespacesTable).toHaveCount(0);
  });

  test('the API answers 503 unavailable:kube, and readiness fails with the cause', async ({ request }) => {
    const namespaces = await request.get('/api/namespaces');
    expect(namespaces.status()).toBe(503);
    expect(await namespaces.json()).toMatchObject({ code: 'unavailable:kube' });

    const readiness = await request.get('/api/readyz');
    expect(readiness.status()).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: 'unavailable', code: 'unavailable:kube' });

    const health = await request.get('/api/healthz');
    expect(health.status()).toBe(200);
  });
});
