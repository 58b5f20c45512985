import { expect, type Locator, type Page } from '@playwright/test';

/** The workloads list (`/workloads`) and a workload's page (`/workloads/NAMESPACE/NAME`). */
export class WorkloadPage {
  readonly page: Page;
  readonly table: Locator;
  readonly inboundRateSummary: Locator;
  readonly outboundRateSummary: Locator;
  readonly proxyConfig: Locator;
  readonly routesTable: Locator;
  readonly accessLog: Locator;
  readonly accessLogTable: Locator;

  constructor(page: Page) {
    this.page = page;
    this.table = page.getByTestId('workloads-table');
    this.inboundRateSummary = page.getByTestId('traffic-inbound-rate-summary');
    this.outboundRateSummary = page.getByTestId('traffic-outbound-rate-summary');
    this.proxyConfig = page.getByTestId('proxy-config');
    this.routesTable = page.getByTestId('proxy-routes-table');
    this.accessLog = page.getByTestId('access-log');
    this.accessLogTable = page.getByTestId('access-log-table');
  }

  async gotoList(namespaces: string[]): Promise<void> {
    await this.page.goto(`/workloads?namespaces=${namespaces.join(',')}`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Workloads' })).toBeVisible();
    await expect(this.table).toBeVisible();
  }

  /** Opens a workload from the list by clicking its name. */
  async open(name: string): Promise<void> {
    await this.table.getByRole('link', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }

  /** The requests per second the latest point of a chart says (`Latest 3.20 req/s (200: 3.20)`). */
  async latestRate(summary: Locator): Promise<number> {
    // Until the first points arrive the chart is an empty state and has no summary.
    if ((await summary.count()) === 0) return 0;
    const text = (await summary.textContent({ timeout: 1_000 })) ?? '';
    const match = /Latest ([\d.]+) req\/s/.exec(text);
    return match ? Number(match[1]) : 0;
  }

  async setRefresh(value: string): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Refresh' }).selectOption(value);
  }

  async searchProxyConfig(text: string): Promise<void> {
    await this.proxyConfig.getByRole('searchbox').fill(text);
  }

  async showProxyTab(name: 'Routes' | 'Clusters' | 'Listeners' | 'Raw JSON'): Promise<void> {
    await this.proxyConfig.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  }

  async filterLog(code: 'All' | '2xx' | '4xx' | '5xx'): Promise<void> {
    await this.accessLog.getByRole('combobox', { name: 'Response code' }).selectOption({ label: code });
  }

  /** The status codes shown in the access log table, newest first. */
  async logCodes(): Promise<number[]> {
    const cells = await this.accessLogTable.locator('tbody tr td:nth-of-type(2)').allTextContents();
    return cells.filter((text) => text.trim() !== '').map(Number);
  }
}
