import { readFile } from 'node:fs/promises';
import type { GraphResponse } from '../lib/types/graph';
import { expect, test } from './fixtures';

/**
 * The graph page against the demo's bookinfo, live traffic read straight from the sidecars. Rates
 * need a couple of scrapes to exist and a window to settle, so numeric checks poll.
 */
const BOOKINFO = { namespaces: 'default', graphType: 'versionedApp' };
/** How long live rates may take to appear and settle, in milliseconds. */
const SETTLE_MS = 90_000;

/** The graph `copies` times over, each copy in namespaces of its own (`default-3`). */
function repeated(graph: GraphResponse, copies: number): GraphResponse {
  const nodes: GraphResponse['nodes'] = [];
  const edges: GraphResponse['edges'] = [];
  for (let copy = 0; copy < copies; copy += 1) {
    const rename = (id: string) => `${id}#${copy}`;
    for (const node of graph.nodes) {
      nodes.push({
        ...node,
        id: rename(node.id),
        namespace: `${node.namespace}-${copy}`,
        ...(node.parent ? { parent: rename(node.parent) } : {}),
      });
    }
    for (const edge of graph.edges) {
      edges.push({ ...edge, id: rename(edge.id), source: rename(edge.source), target: rename(edge.target) });
    }
  }
  return { ...graph, nodes, edges };
}

test.describe('graph page', () => {
  test('the table shows bookinfo with the configured 50/50 reviews split', async ({ graphPage }) => {
    await graphPage.goto(BOOKINFO);
    await graphPage.showTable();

    await expect(graphPage.edgeRow('productpage v1', 'reviews')).toBeVisible({ timeout: SETTLE_MS });
    await expect(graphPage.edgeRow('reviews v3', 'ratings')).toBeVisible();
    await expect(graphPage.edgeRow('reviews', 'reviews v1')).toBeVisible();
    await expect(graphPage.edgeRow('reviews', 'reviews v3')).toBeVisible();
    // reviews v2 gets no traffic (weight 0), so without idle it is not drawn.
    await expect(graphPage.nodeRow('reviews v2')).toHaveCount(0);
    await expect(async () => {
      const v1 = await graphPage.edgePercent('reviews', 'reviews v1');
      const v3 = await graphPage.edgePercent('reviews', 'reviews v3');
      expect(Math.abs(v1 - 50)).toBeLessThanOrEqual(5);
      expect(Math.abs(v3 - 50)).toBeLessThanOrEqual(5);
    }).toPass({ timeout: SETTLE_MS });
    await expect(graphPage.telemetrySource).toContainText('direct');
  });

  test('with idle on, reviews v2 appears idle', async ({ graphPage }) => {
    await graphPage.goto({ ...BOOKINFO, view: 'table' });
    await expect(graphPage.edgeRow('reviews', 'reviews v3')).toBeVisible({ timeout: SETTLE_MS });
    await graphPage.idle.check();

    await expect.poll(() => graphPage.params().get('idle')).toBe('true');
    const v2 = graphPage.nodeRow('reviews v2');
    await expect(v2).toBeVisible();
    expect(await graphPage.cellText(graphPage.nodesTable, v2, 'Health')).toBe('idle');
    expect(await graphPage.cellText(graphPage.nodesTable, v2, 'Inbound req/s')).toBe('0');
  });

  test('switching graph types changes the nodes shown', async ({ graphPage }) => {
    await graphPage.goto({ ...BOOKINFO, view: 'table' });
    await expect(graphPage.nodeRow('reviews v1')).toBeVisible({ timeout: SETTLE_MS });

    await graphPage.graphType.selectOption({ label: 'Workload' });
    await expect.poll(() => graphPage.params().get('graphType')).toBe('workload');
    await expect(graphPage.nodeRow('reviews-v1')).toBeVisible();
    await expect(graphPage.nodeRow('reviews v1')).toHaveCount(0);

    await graphPage.graphType.selectOption({ label: 'Service' });
    await expect(graphPage.edgeRow('productpage', 'reviews')).toBeVisible();
    await expect(graphPage.nodeRow('reviews-v1')).toHaveCount(0);
    await expect(graphPage.nodeRow('reviews v1')).toHaveCount(0);
    expect(await graphPage.cellText(graphPage.nodesTable, graphPage.nodeRow('reviews'), 'Kind')).toBe(
      'service',
    );
  });

  test('find highlights, hide removes rows, and a bad expression says why', async ({ graphPage }) => {
    await graphPage.goto({ ...BOOKINFO, view: 'table' });
    await expect(graphPage.nodeRow('reviews v3')).toBeVisible({ timeout: SETTLE_MS });

    await graphPage.find.fill('version = v3');
    await expect(graphPage.nodeRow('reviews v3')).toHaveAttribute('data-highlighted', 'true');
    await expect(graphPage.nodeRow('reviews v1')).not.toHaveAttribute('data-highlighted', 'true');
    await expect.poll(() => graphPage.params().get('find')).toBe('version = v3');

    await graphPage.hide.fill('name = productpage');
    await expect(graphPage.nodeRow('productpage v1')).toHaveCount(0);
    await expect(graphPage.nodeRow('productpage')).toHaveCount(0);
    await expect(graphPage.edgeRow('productpage v1', 'reviews')).toHaveCount(0);
    await expect(graphPage.nodeRow('reviews v3')).toBeVisible();

    await graphPage.find.fill('version ==');
    await expect(graphPage.find).toHaveAttribute('aria-invalid', 'true');
    const describedBy = await graphPage.find.getAttribute('aria-describedby');
    expect(describedBy).not.toBeNull();
    await expect(graphPage.page.locator(`[id="${describedBy}"]`)).not.toBeEmpty();
    // The last valid expression stays applied.
    await expect(graphPage.nodeRow('reviews v3')).toHaveAttribute('data-highlighted', 'true');
  });

  test('clicking a node on the canvas opens its side panel', async ({ graphPage, consoleErrors }) => {
    await graphPage.goto(BOOKINFO);
    await expect(graphPage.canvas).toHaveAttribute('data-ready', 'true', { timeout: SETTLE_MS });

    await graphPage.clickCanvasNode('vapp:default:reviews:v3');
    await expect(graphPage.panelHeading('reviews v3')).toBeVisible();
    await expect(graphPage.sidePanel.getByTestId('node-numbers')).toContainText('Inbound');
    await expect(graphPage.sidePanel.getByTestId('node-numbers')).toContainText('req/s');
    await expect.poll(() => graphPage.params().get('selected')).toBe('vapp:default:reviews:v3');

    await graphPage.sidePanel.getByRole('button', { name: 'Close details' }).click();
    await expect(graphPage.sidePanel).toHaveCount(0);
    await expect.poll(() => graphPage.params().get('selected')).toBeNull();
    expect(consoleErrors).toEqual([]);
  });

  test('a node dragged elsewhere is still there after a reload', async ({ graphPage, page }) => {
    const moved = 'vapp:default:reviews:v1';
    const anchors = ['vapp:default:productpage:v1', 'vapp:default:ratings:v1'];
    // Where the node sits relative to two others, in units of their distance: the picture,
    // whatever the zoom and pan.
    const place = async () => {
      const [node, from, to] = await Promise.all(
        [moved, ...anchors].map((id) => graphPage.canvasNodePoint(id)),
      );
      if (!node || !from || !to) throw new Error('a node is missing');
      const unit = Math.hypot(to.x - from.x, to.y - from.y);
      return { x: (node.x - from.x) / unit, y: (node.y - from.y) / unit };
    };
    const near = (a: { x: number; y: number }, b: { x: number; y: number }) =>
      Math.hypot(a.x - b.x, a.y - b.y) < 0.02;
    await graphPage.goto({ ...BOOKINFO, autoFit: 'false' });
    await expect(graphPage.canvas).toHaveAttribute('data-ready', 'true', { timeout: SETTLE_MS });
    for (const id of [moved, ...anchors])
      await expect(
        graphPage.page.getByTestId('graph-canvas-nodes').locator(`[data-node-id="${id}"]`),
      ).toHaveCount(1, { timeout: SETTLE_MS });
    const before = await place();
    await graphPage.dragCanvasNode(moved, 0, 160);
    await expect.poll(async () => near(await place(), before)).toBe(false);
    const arranged = await place();

    await page.reload();
    await expect(graphPage.canvas).toHaveAttribute('data-ready', 'true', { timeout: SETTLE_MS });
    await expect.poll(async () => near(await place(), arranged), { timeout: SETTLE_MS }).toBe(true);
  });

  test("a table row opens an edge's panel with its responses", async ({ graphPage }) => {
    await graphPage.goto({ ...BOOKINFO, view: 'table' });
    const row = graphPage.edgeRow('reviews', 'reviews v3');
    await expect(row).toBeVisible({ timeout: SETTLE_MS });

    await row.getByRole('button', { name: 'reviews → reviews v3' }).click();
    await expect(graphPage.panelHeading('reviews → reviews v3')).toBeVisible();
    await expect(graphPage.sidePanel.getByTestId('edge-numbers')).toContainText('mTLS');
    const codes = graphPage.sidePanel.getByTestId('response-codes');
    await expect(codes.getByRole('rowheader', { name: '200' })).toBeVisible();
    await expect(graphPage.sidePanel.getByTestId('response-flags')).toBeVisible();
  });

  test('reloading the URL restores the same view', async ({ graphPage, page }) => {
    await graphPage.goto({
      ...BOOKINFO,
      find: 'version = v3',
      hide: 'name = details',
      selected: 'vapp:default:reviews:v1',
      view: 'table',
    });
    await expect(graphPage.nodeRow('reviews v1')).toBeVisible({ timeout: SETTLE_MS });
    await graphPage.timeWindow.selectOption({ label: 'Last 5m' });
    await expect.poll(() => graphPage.params().get('duration')).toBe('300s');
    const url = page.url();

    await page.reload();
    expect(page.url()).toBe(url);
    await expect(graphPage.graphType).toHaveValue('versionedApp');
    await expect(graphPage.timeWindow).toHaveValue('300s');
    await expect(graphPage.find).toHaveValue('version = v3');
    await expect(graphPage.hide).toHaveValue('name = details');
    await expect(page.getByRole('button', { name: 'Namespaces default', exact: true })).toBeVisible();
    await expect(graphPage.panelHeading('reviews v1')).toBeVisible({ timeout: SETTLE_MS });
    await expect(graphPage.nodeRow('reviews v3')).toHaveAttribute('data-highlighted', 'true');
    await expect(graphPage.nodeRow('details v1')).toHaveCount(0);
  });

  test('exports the graph as JSON and PNG', async ({ graphPage, page }) => {
    await graphPage.goto(BOOKINFO);
    await expect(graphPage.canvas).toHaveAttribute('data-ready', 'true', { timeout: SETTLE_MS });

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'JSON' }).click(),
    ]);
    expect(json.suggestedFilename()).toMatch(/^meshscope-graph-default-versionedApp-.*\.json$/);
    const exported = JSON.parse(await readFile(await json.path(), 'utf8'));
    expect(exported.graphType).toBe('versionedApp');
    expect(exported.nodes.length).toBeGreaterThan(0);

    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
  });

  test('without a namespace it says what to do', async ({ graphPage, consoleErrors }) => {
    await graphPage.page.goto('/graph');
    await expect(graphPage.emptyState).toContainText('Select a namespace');
    await graphPage.page.getByRole('button', { name: /Namespaces/ }).click();
    await graphPage.page.getByRole('combobox', { name: 'Filter namespaces' }).fill('defa');
    await graphPage.page.keyboard.press('Enter');
    await expect.poll(() => graphPage.params().get('namespaces')).toBe('default');
    await graphPage.page.keyboard.press('Escape');
    await expect(graphPage.canvas).toHaveAttribute('data-ready', 'true', { timeout: SETTLE_MS });
    expect(consoleErrors).toEqual([]);
  });

  test('a graph too big to label shows names and locks once the user zooms in', async ({
    graphPage,
    page,
  }) => {
    // The demo's bookinfo graph repeated over 80 namespaces: one answer of over 1,500 elements,
    // the size from which the canvas draws a zoomed-out overview without text.
    const live = await page.request.get(
      '/api/graph?namespaces=default&graphType=versionedApp&duration=60s&idle=true',
    );
    expect(live.ok()).toBe(true);
    const big = repeated((await live.json()) as GraphResponse, 80);
    expect(big.nodes.length + big.edges.length).toBeGreaterThan(1_500);
    await page.route(
      (url) => url.pathname === '/api/graph',
      (route) => route.fulfill({ json: big }),
    );
    await graphPage.goto({ ...BOOKINFO, idle: 'true', refresh: 'pause' });
    await expect(graphPage.canvas).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
    await expect(graphPage.detailHint).toBeVisible();
    await expect(graphPage.detailHint).toContainText('zoom in');

    await graphPage.zoomUntil('in', () => expect(graphPage.detailHint).toBeHidden({ timeout: 1_000 }));
    await graphPage.zoomUntil('out', () => expect(graphPage.detailHint).toBeVisible({ timeout: 1_000 }));
    // Fit shows the whole graph again: the overview.
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await expect(graphPage.detailHint).toBeVisible();
  });
});
