import { test as base, expect } from '@playwright/test';
import { OverviewPage } from './pages/OverviewPage';

interface PageObjects {
  overviewPage: OverviewPage;
  /** Console errors of the page (CSP violations, failed scripts), collected during the test. */
  consoleErrors: string[];
}

export const test = base.extend<PageObjects>({
  overviewPage: async ({ page }, provide) => {
    await provide(new OverviewPage(page));
  },
  consoleErrors: async ({ page }, provide) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await provide(errors);
  },
});

export { expect };
