import { test as base, expect } from '@playwright/test';
import { ConfigObjectPage, ConfigPage } from './pages/ConfigPage';
import { GraphPage } from './pages/GraphPage';
import { OverviewPage } from './pages/OverviewPage';
import { TrafficSplitPage } from './pages/TrafficSplitPage';

interface PageObjects {
  overviewPage: OverviewPage;
  graphPage: GraphPage;
  trafficSplitPage: TrafficSplitPage;
  configPage: ConfigPage;
  configObjectPage: ConfigObjectPage;
  /** Console errors of the page (CSP violations, failed scripts), collected during the test. */
  consoleErrors: string[];
}

export const test = base.extend<PageObjects>({
  overviewPage: async ({ page }, provide) => {
    await provide(new OverviewPage(page));
  },
  graphPage: async ({ page }, provide) => {
    await provide(new GraphPage(page));
  },
  trafficSplitPage: async ({ page }, provide) => {
    await provide(new TrafficSplitPage(page));
  },
  configPage: async ({ page }, provide) => {
    await provide(new ConfigPage(page));
  },
  configObjectPage: async ({ page }, provide) => {
    await provide(new ConfigObjectPage(page));
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
