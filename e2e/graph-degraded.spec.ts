import { expect, test } from './fixtures';
import { UNREACHABLE_PORT } from './support/ports';

// The dashboard whose cluster refuses connections: no configuration, no telemetry.
test.use({ baseURL: `http://127.0.0.1:${UNREACHABLE_PORT}` });

test.describe('graph when its sources are down', () => {
  test('the API answers 200 with warnings, not a 5xx', async ({ request }) => {
    const response = await request.get('/api/graph?namespaces=default');
    expect(response.status()).toBe(200);
    const graph = await response.json();
    expect(graph.nodes).toEqual([]);
    expect(graph.warnings.length).toBeGreaterThan(0);
  });

  test('the page shows the warnings with the data age, and an empty state', async ({ graphPage, page }) => {
    await graphPage.goto({ namespaces: 'default', graphType: 'versionedApp' });
    const warnings = page.getByTestId('graph-warnings');
    await expect(warnings).toContainText('The graph is incomplete', { timeout: 30_000 });
    await expect(warnings).toContainText('Graph built');
    await expect(graphPage.emptyState).toContainText('No traffic in this window');
  });

  test('a bad query is a 400 that names the parameter', async ({ request }) => {
    const response = await request.get('/api/graph?namespaces=default&graphType=galaxy');
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.code).toBe('invalid');
    expect(body.message).toContain('graphType');
  });
});
