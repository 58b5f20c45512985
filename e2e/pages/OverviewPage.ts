import type { Locator, Page } from '@playwright/test';
import { relativeLuminance } from '../support/color';

/** The overview page (`/`): the cluster's namespaces. */
export class OverviewPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly namespacesTable: Locator;
  readonly errorBanner: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Overview' });
    this.namespacesTable = page.getByRole('table', { name: 'Namespaces' });
    this.errorBanner = page.getByTestId('error-banner');
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  /** The row header cell naming a namespace. */
  namespaceHeader(name: string): Locator {
    return this.namespacesTable.getByRole('rowheader', { name, exact: true });
  }

  /** The table row of a namespace. */
  namespaceRow(name: string): Locator {
    // `has` is matched inside each row, so it must not start from the table again.
    return this.namespacesTable
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** Relative luminance of the page background as the browser computed it (0 black, 1 white). */
  async backgroundLuminance(): Promise<number> {
    const color = await this.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    return relativeLuminance(color);
  }
}
