import { expect, type Locator, type Page } from '@playwright/test';

/** Query parameters of the graph page, as its URL carries them. */
export type GraphParams = Record<string, string>;

/** The graph page (`/graph`): toolbar, find/hide, canvas, table view and side panel. */
export class GraphPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly graphType: Locator;
  readonly timeWindow: Locator;
  readonly edgeLabels: Locator;
  readonly idle: Locator;
  readonly find: Locator;
  readonly hide: Locator;
  readonly nodesTable: Locator;
  readonly edgesTable: Locator;
  readonly canvas: Locator;
  readonly sidePanel: Locator;
  readonly emptyState: Locator;
  readonly telemetrySource: Locator;
  /** the note under a big graph's canvas while it is too zoomed out for names */
  readonly detailHint: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Traffic graph' });
    this.graphType = page.getByLabel('Graph type', { exact: true });
    this.timeWindow = page.getByLabel('Time window', { exact: true });
    this.edgeLabels = page.getByLabel('Edge labels', { exact: true });
    this.idle = page.getByLabel('Idle nodes and edges', { exact: true });
    this.find = page.getByLabel('Find', { exact: true });
    this.hide = page.getByLabel('Hide', { exact: true });
    this.nodesTable = page.getByTestId('graph-nodes-table');
    this.edgesTable = page.getByTestId('graph-edges-table');
    this.canvas = page.getByTestId('graph-canvas');
    this.sidePanel = page.getByTestId('graph-side-panel');
    this.emptyState = page.getByTestId('empty-state');
    this.telemetrySource = page.getByTestId('graph-telemetry-source');
    this.detailHint = page.getByTestId('graph-detail-hint');
  }

  async goto(params: GraphParams): Promise<void> {
    await this.page.goto(`/graph?${new URLSearchParams(params).toString()}`);
    await expect(this.heading).toBeVisible();
  }

  /** The current URL's query parameters. */
  params(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }

  async showTable(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Table' }).click();
    await expect(this.edgesTable).toBeVisible();
  }

  async showGraph(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Graph' }).click();
    await expect(this.canvas).toBeVisible();
  }

  /** The node table's row for a node, by the name in its row header (`reviews v3`). */
  nodeRow(name: string): Locator {
    return this.nodesTable
      .getByTestId('node-row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** The edge table's row from `source` to `target`, by node names (`reviews` → `reviews v1`). */
  edgeRow(source: string, target: string): Locator {
    return this.edgesTable
      .getByTestId('edge-row')
      .filter({ has: this.page.getByRole('rowheader', { name: `${source} → ${target}`, exact: true }) });
  }

  /** The text of a row's cell under the column whose header reads `column`. */
  async cellText(table: Locator, row: Locator, column: string): Promise<string> {
    const headers = (await table.getByRole('columnheader').allInnerTexts()).map((text) =>
      text.replace(/[▲▼]/g, '').trim(),
    );
    const index = headers.indexOf(column);
    if (index < 0) throw new Error(`no column "${column}" in ${headers.join(', ')}`);
    const cells = row.locator(':scope > th, :scope > td');
    return ((await cells.nth(index).textContent()) ?? '').trim();
  }

  /** A percentage cell (`49.6%`) as a number. */
  async edgePercent(source: string, target: string): Promise<number> {
    const text = await this.cellText(this.edgesTable, this.edgeRow(source, target), '% of source');
    return Number.parseFloat(text);
  }

  /** Where the canvas draws a node, in page coordinates (from the canvas's mirrored positions). */
  async canvasNodePoint(id: string): Promise<{ x: number; y: number }> {
    await expect(this.canvas).toHaveAttribute('data-ready', 'true');
    const marker = this.page.getByTestId('graph-canvas-nodes').locator(`[data-node-id="${id}"]`);
    await expect(marker).toHaveCount(1);
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('the graph canvas is not on screen');
    return {
      x: box.x + Number(await marker.getAttribute('data-x')),
      y: box.y + Number(await marker.getAttribute('data-y')),
    };
  }

  /** Presses the canvas's Zoom in (or Zoom out) button until `settled` passes. */
  async zoomUntil(direction: 'in' | 'out', settled: () => Promise<void>): Promise<void> {
    const button = this.page.getByRole('button', { name: `Zoom ${direction}`, exact: true });
    await expect(async () => {
      await button.click();
      await settled();
    }).toPass({ timeout: 30_000 });
  }

  /** Drags a node on the canvas by (dx, dy) pixels, the way a mouse does. */
  async dragCanvasNode(id: string, dx: number, dy: number): Promise<void> {
    await this.canvas.scrollIntoViewIfNeeded();
    const from = await this.canvasNodePoint(id);
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    for (let step = 1; step <= 10; step += 1)
      await this.page.mouse.move(from.x + (dx * step) / 10, from.y + (dy * step) / 10);
    await this.page.mouse.up();
  }

  /** Clicks a node where the canvas draws it (the canvas mirrors rendered positions in data attributes). */
  async clickCanvasNode(id: string): Promise<void> {
    await expect(this.canvas).toHaveAttribute('data-ready', 'true');
    const marker = this.page.getByTestId('graph-canvas-nodes').locator(`[data-node-id="${id}"]`);
    await expect(marker).toHaveCount(1);
    const x = Number(await marker.getAttribute('data-x'));
    const y = Number(await marker.getAttribute('data-y'));
    await this.canvas.scrollIntoViewIfNeeded();
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('the graph canvas is not on screen');
    await this.page.mouse.click(box.x + x, box.y + y);
  }

  panelHeading(name: string): Locator {
    return this.sidePanel.getByRole('heading', { level: 2, name, exact: true });
  }
}
