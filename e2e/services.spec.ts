import { expect, test } from './fixtures';
import { GatewayPage } from './pages/GatewayPage';
import { GraphPage } from './pages/GraphPage';
import { ServicePage } from './pages/ServicePage';
import { TrafficSplitPage } from './pages/TrafficSplitPage';

/**
 * The services, service and gateway pages in the demo (bookinfo with live traffic, direct
 * telemetry). Traffic shows up after the dashboard's first scrapes, so rows that depend on it are
 * waited for across the pages' refreshes.
 */
const TRAFFIC_TIMEOUT = 60_000;

test('the services list lists bookinfo and opens productpage with its VirtualService and neighbourhood', async ({
  page,
}) => {
  const services = new ServicePage(page);
  await services.gotoList(['default']);
  await expect
    .poll(() => services.listedServices())
    .toEqual(['details', 'productpage', 'ratings', 'reviews']);

  await services.filter.fill('rev');
  await expect.poll(() => services.listedServices()).toEqual(['reviews']);
  await expect(page).toHaveURL(/q=rev/);
  await services.filter.fill('');

  await services.serviceLink('productpage').click();
  await services.expectOpen('default', 'productpage');
  await expect(services.appliedObject('VirtualService', 'default/productpage')).toBeVisible();
  await expect(services.appliedObject('VirtualService', 'default/bookinfo')).toBeVisible();
  await expect(services.appliedObject('Gateway', 'default/bookinfo-gateway')).toBeVisible();

  // One hop in (the ingress gateway), the workload behind it, and one hop out (details, reviews).
  await expect(services.neighbourhoodNodes).toBeVisible();
  await expect(services.neighbourhoodNode('default/productpage-v1')).toBeVisible();
  await expect(services.neighbourhoodNode('istio-system/istio-ingressgateway')).toBeVisible({
    timeout: TRAFFIC_TIMEOUT,
  });
  await expect(services.neighbourhoodNode('default/reviews')).toBeVisible({ timeout: TRAFFIC_TIMEOUT });
  await expect(services.neighbourhoodNode('default/details')).toBeVisible();
  await expect(services.neighbourhoodNode('default/ratings')).toHaveCount(0);
  await expect(services.canvas).toHaveAttribute('data-ready', 'true');

  // The config object link leads to its page.
  await services.appliedObject('VirtualService', 'default/productpage').click();
  await expect(page).toHaveURL(/\/config\/VirtualService\/default\/productpage$/);
});

test('a neighbourhood node on the canvas opens that service’s page', async ({ page }) => {
  const services = new ServicePage(page);
  await services.goto('default', 'productpage');
  await expect(services.neighbourhoodNode('default/reviews')).toBeVisible({ timeout: TRAFFIC_TIMEOUT });
  await expect(services.canvas).toHaveAttribute('data-ready', 'true');
  const marker = page.getByTestId('graph-canvas-nodes').locator('[data-node-id="svc:default:reviews"]');
  await expect(marker).toHaveCount(1);
  const x = Number(await marker.getAttribute('data-x'));
  const y = Number(await marker.getAttribute('data-y'));
  await services.canvas.scrollIntoViewIfNeeded();
  const box = await services.canvas.boundingBox();
  if (!box) throw new Error('the neighbourhood canvas is not on screen');
  await page.mouse.click(box.x + x, box.y + y);
  await services.expectOpen('default', 'reviews');
});

test('the reviews service page opens the traffic-split editor on the reviews VirtualService', async ({
  page,
}) => {
  const services = new ServicePage(page);
  await services.goto('default', 'reviews');
  const split = page.getByRole('region', { name: 'Traffic split of VirtualService reviews' });
  await expect(split).toContainText(/reviews v1: \d+%/);
  await services.splitLink('reviews').click();
  await expect(page).toHaveURL(/\/traffic-split\/default\/reviews$/);
  const editor = new TrafficSplitPage(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Traffic split: default/reviews' })).toBeVisible();
  await expect(editor.editor).toBeVisible();
  await expect(editor.slider('reviews v1')).toBeVisible();
});

test('the gateway page shows bookinfo-gateway with its hosts, workload and bound VirtualService', async ({
  page,
}) => {
  const gateways = new GatewayPage(page);
  await gateways.goto();
  await expect(gateways.gateway('bookinfo-gateway')).toBeVisible();
  const servers = gateways.servers('bookinfo-gateway');
  await expect(servers.getByRole('row')).toHaveCount(2);
  await expect(servers.getByRole('row').nth(1)).toContainText('8080 (http)');
  await expect(servers.getByRole('row').nth(1)).toContainText('HTTP');
  await expect(servers.getByRole('cell', { name: '*', exact: true })).toBeVisible();
  await expect(
    gateways.boundVirtualServices('bookinfo-gateway').getByRole('link', { name: 'default/bookinfo' }),
  ).toBeVisible();
  await expect(
    gateways.workloads('bookinfo-gateway').getByRole('link', { name: 'istio-system/istio-ingressgateway' }),
  ).toBeVisible();
  await expect(
    gateways.gateway('bookinfo-gateway').getByRole('link', { name: 'default/productpage', exact: true }),
  ).toBeVisible({ timeout: TRAFFIC_TIMEOUT });
});

test('the navigation reaches the services and gateways pages', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Services' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Gateways' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Gateways' })).toBeVisible();
});

test('the graph side panel of a service node opens its service page', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto({ namespaces: 'default', graphType: 'versionedApp' });
  await expect(graph.canvas).toHaveAttribute('data-ready', 'true', { timeout: TRAFFIC_TIMEOUT });
  await graph.clickCanvasNode('svc:default:reviews');
  await graph.sidePanel.getByRole('link', { name: 'Open the service page' }).click();
  await new ServicePage(page).expectOpen('default', 'reviews');
});
