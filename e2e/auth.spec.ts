import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { TrafficSplitPage } from './pages/TrafficSplitPage';
import { CANARY, TOKEN_DEMO_ADMIN_TOKEN, TOKEN_DEMO_LOG, TOKEN_DEMO_VIEWER_TOKEN } from './support/auth';
import { TOKEN_DEMO_PORT } from './support/ports';

/**
 * Token mode (the `token` dashboard of playwright.config.ts): people sign in by pasting a
 * Kubernetes token; what they see and may change follows that token's RBAC. The simulator's tokens
 * and the launch secret carry a canary string, which no page, API answer, browser storage or log
 * line may show.
 */
const BASE_URL = `http://127.0.0.1:${TOKEN_DEMO_PORT}`;
test.use({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
test.describe.configure({ mode: 'serial' });

/** Every response body the page receives, to search for the canary afterwards. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', async (response) => {
    try {
      bodies.push(
        `${response.url()} ${JSON.stringify(await response.allHeaders())} ${await response.text()}`,
      );
    } catch {
      // Redirects and aborted responses have no body.
    }
  });
  return bodies;
}

async function signIn(page: Page, token: string, path: string): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await expect(page.getByRole('heading', { name: 'Sign in to Meshscope' })).toBeVisible();
  await page.getByLabel('Kubernetes bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, '\\$&')}$`));
}

async function expectNoCanaryInBrowser(page: Page, bodies: string[]): Promise<void> {
  expect(await page.content()).not.toContain(CANARY);
  const storage = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
  }));
  expect(JSON.stringify(storage)).not.toContain(CANARY);
  const cookies = await page.context().cookies();
  expect(JSON.stringify(cookies)).not.toContain(CANARY);
  expect(bodies.length).toBeGreaterThan(3);
  for (const body of bodies) expect(body).not.toContain(CANARY);
}

test('a page without a session goes to the sign-in page; a wrong token is refused there', async ({
  page,
}) => {
  await page.goto('/graph');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fgraph$/);
  await page.getByLabel('Kubernetes bearer token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The cluster does not accept this token.')).toBeVisible();
  const api = await page.request.get('/api/namespaces');
  expect(api.status()).toBe(401);
});

test('the viewer token signs in and gets read-only controls, with the user named', async ({ page }) => {
  const bodies = recordResponses(page);
  await signIn(page, TOKEN_DEMO_VIEWER_TOKEN, '/traffic-split/default/reviews');
  const split = new TrafficSplitPage(page);
  await expect(split.readOnlyReason).toContainText('may not patch VirtualServices in namespace default');
  await expect(split.slider('reviews v1')).toBeDisabled();
  await expect(split.reviewButton).toHaveCount(0);

  // Who is signed in shows in the header's summary, and in its details with the mode.
  await expect(page.getByTestId('connection-indicator').locator('summary')).toContainText('meshscope-viewer');
  await page.getByTestId('connection-indicator').locator('summary').click();
  await expect(page.getByTestId('signed-in-user')).toHaveText('meshscope-viewer');
  await expect(page.getByTestId('access-mode')).toContainText('signed in with a Kubernetes token');
  await expectNoCanaryInBrowser(page, bodies);
});

test('the admin token can apply a split; signing out ends the session', async ({ page }) => {
  const bodies = recordResponses(page);
  await signIn(page, TOKEN_DEMO_ADMIN_TOKEN, '/traffic-split/default/reviews');
  const split = new TrafficSplitPage(page);
  await expect(split.editor).toBeVisible();
  await expect(split.slider('reviews v1')).toBeEnabled();
  // Hydrated (the indicator's query has answered) before typing into the editor.
  await expect(page.getByTestId('connection-indicator')).toContainText('meshscope-sim-admin');
  const before = await split.weight('reviews v1');
  const target = before === 70 ? 60 : 70;
  await split.number('reviews v1').fill(String(target));
  await split.number('reviews v1').press('Tab');
  await expect(split.slider('reviews v1')).toHaveValue(String(target));
  await expect(page.getByTestId('route-total')).toContainText('Total: 100%');
  await split.review();
  await split.apply();
  await expect(split.history).toContainText('meshscope-admin');
  await expectNoCanaryInBrowser(page, bodies);

  await page.getByTestId('connection-indicator').locator('summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/traffic-split/default/reviews');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});

test('the canary planted in the credentials appears in no server log line', async () => {
  // The canary is really in the credentials the dashboard and its simulator use.
  const kubeconfig = await readFile(`.meshscope/demo-${TOKEN_DEMO_PORT}/admin.kubeconfig`, 'utf8');
  expect(kubeconfig).toContain(CANARY);
  const log = await readFile(TOKEN_DEMO_LOG, 'utf8');
  expect(log).toContain('Meshscope ready');
  const lines = log.split('\n');
  expect(lines.filter((line) => line.includes(CANARY))).toEqual([]);
});
