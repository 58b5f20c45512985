import { expect, type Locator, type Page } from '@playwright/test';

/** The services list (`/services`) and one service's page (`/services/NAMESPACE/NAME`). */
export class ServicePage {
  readonly page: Page;
  readonly table: Locator;
  readonly filter: Locator;
  readonly appliedConfig: Locator;
  readonly neighbourhoodNodes: Locator;
  readonly canvas: Locator;

  constructor(page: Page) {
    this.page = page;
    this.table = page.getByRole('table', { name: /^Services \(/ });
    this.filter = page.getByRole('searchbox', { name: 'Filter services' });
    this.appliedConfig = page.getByTestId('applied-config');
    this.neighbourhoodNodes = page.getByRole('table', { name: 'Neighbourhood nodes' });
    this.canvas = page.getByTestId('graph-canvas');
  }

  async gotoList(namespaces: string[]): Promise<void> {
    await this.page.goto(`/services?namespaces=${namespaces.join(',')}`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
    await expect(this.table).toBeVisible();
  }

  async goto(namespace: string, name: string): Promise<void> {
    await this.page.goto(`/services/${namespace}/${name}`);
    await this.expectOpen(namespace, name);
  }

  async expectOpen(namespace: string, name: string): Promise<void> {
    await expect(this.page).toHaveURL(new RegExp(`/services/${namespace}/${name}(\\?|$)`));
    await expect(
      this.page.getByRole('heading', { level: 1, name: `Service ${name} in ${namespace}` }),
    ).toBeVisible();
  }

  /** The list's row header of a service, a link to its page. */
  serviceLink(name: string): Locator {
    return this.table.getByRole('rowheader').getByRole('link', { name, exact: true });
  }

  /** Names of the services the list shows, in order. */
  async listedServices(): Promise<string[]> {
    return this.table.getByRole('rowheader').allInnerTexts();
  }

  /** A config object that applies, by its link text (`default/reviews`) after its kind. */
  appliedObject(kind: string, namespaceName: string): Locator {
    return this.appliedConfig
      .getByRole('listitem')
      .filter({ hasText: kind })
      .getByRole('link', { name: namespaceName, exact: true });
  }

  /** A neighbourhood node's row header link (`default/productpage-v1`). */
  neighbourhoodNode(label: string): Locator {
    return this.neighbourhoodNodes.getByRole('rowheader').filter({ hasText: label });
  }

  splitLink(virtualService: string): Locator {
    return this.page.getByRole('link', {
      name: new RegExp(`^(Edit traffic split|Split traffic) of ${virtualService}$`),
    });
  }
}
