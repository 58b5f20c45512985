import { expect, type Locator, type Page } from '@playwright/test';

/** The gateways page (`/gateways`): one card per Gateway. */
export class GatewayPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  async goto(): Promise<void> {
    await this.page.goto('/gateways');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Gateways' })).toBeVisible();
  }

  gateway(name: string): Locator {
    return this.page.getByRole('article', { name: new RegExp(`^${name} in `) });
  }

  servers(name: string): Locator {
    return this.gateway(name).getByRole('table', { name: `Servers of ${name}` });
  }

  boundVirtualServices(name: string): Locator {
    return this.gateway(name).getByRole('list', { name: `VirtualServices bound to ${name}` });
  }

  workloads(name: string): Locator {
    return this.gateway(name).getByRole('list', { name: `Workloads selected by ${name}` });
  }
}
