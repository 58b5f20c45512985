import { expect, type Locator, type Page } from '@playwright/test';

/** The resilience pages: the list (`/resilience`) and a service's page with its editors. */
export class ResiliencePage {
  readonly page: Page;
  readonly list: Locator;
  readonly summary: Locator;
  readonly pods: Locator;
  readonly overflow: Locator;
  readonly reviewDialog: Locator;
  readonly applied: Locator;

  constructor(page: Page) {
    this.page = page;
    this.list = page.getByTestId('resilience-list');
    this.summary = page.getByTestId('ejection-summary');
    this.pods = page.getByTestId('resilience-pods');
    this.overflow = page.getByTestId('overflow-panel');
    this.reviewDialog = page.getByRole('dialog');
    this.applied = page.getByTestId('resilience-applied');
  }

  async gotoList(namespaces: string[], refresh = '10s'): Promise<void> {
    await this.page.goto(`/resilience?namespaces=${namespaces.join(',')}&refresh=${refresh}`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Resilience' })).toBeVisible();
  }

  async gotoService(namespace: string, service: string, refresh = '10s'): Promise<void> {
    await this.page.goto(`/resilience/${namespace}/${service}?refresh=${refresh}`);
    await expect(
      this.page.getByRole('heading', { level: 1, name: `Resilience of ${service}.${namespace}` }),
    ).toBeVisible();
  }

  /** The list's row of a service (`default/reviews`). */
  serviceRow(name: string): Locator {
    return this.list
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** The pods table's row of a pod. */
  podRow(pod: string): Locator {
    return this.pods
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: pod, exact: true }) });
  }

  /** The editor of one route (the first route to the service by default). */
  routeEditor(index = 0): Locator {
    return this.page.getByTestId('route-policy-editor').nth(index);
  }

  breakerEditor(): Locator {
    return this.page.getByTestId('circuit-breaker-editor').first();
  }

  /** Fills a labelled field as a user does: select what is there, type over it. */
  async typeInto(scope: Locator, label: string, value: string): Promise<void> {
    const field = scope.getByLabel(label, { exact: true });
    await field.click();
    await field.press('ControlOrMeta+a');
    await field.pressSequentially(value);
    await expect(field).toHaveValue(value);
  }

  /** Review (the server's dry run must pass), then apply, and wait for the notice. */
  async reviewAndApply(scope: Locator): Promise<void> {
    await scope.getByRole('button', { name: 'Review change' }).click();
    await expect(this.reviewDialog.getByTestId('dry-run-result')).toContainText('Dry run passed');
    await this.reviewDialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(this.applied).toContainText('Applied to');
  }
}
