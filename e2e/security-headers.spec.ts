import { expect, test } from './fixtures';
import { E2E_LAUNCH_SECRET } from './support/auth';
import { DEMO_PORT } from './support/ports';

test.describe('security headers', () => {
  for (const path of ['/', '/api/healthz']) {
    test(`are sent with ${path}`, async ({ request }) => {
      const response = await request.get(path);
      expect(response.ok()).toBe(true);
      const headers = response.headers();
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['permissions-policy']).toContain('camera=()');
      expect(headers['x-powered-by']).toBeUndefined();
    });
  }

  test("pages get a fresh script nonce and no 'unsafe-inline' scripts; the page still runs", async ({
    page,
    consoleErrors,
  }) => {
    const first = await page.goto('/');
    const policy = first?.headers()['content-security-policy'] ?? '';
    const scriptSrc = policy.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(scriptSrc).not.toContain('unsafe-eval');
    // Next's inline bootstrap scripts carry the nonce, so the app hydrates: the connection
    // indicator is filled in by a client-side query.
    await expect(page.getByTestId('connection-indicator')).not.toContainText('Checking connection');
    const second = await page.request.get('/');
    expect(second.headers()['content-security-policy']).not.toBe(policy);
    expect(consoleErrors.filter((error) => /Content Security Policy|CSP/i.test(error))).toEqual([]);
  });

  test('API answers may run and embed nothing', async ({ request }) => {
    const response = await request.get('/api/healthz');
    expect(response.headers()['content-security-policy']).toContain("default-src 'none'");
  });
});

test.describe('local mode access', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('without the launch cookie, pages go to the sign-in page and the API answers 401', async ({
    page,
  }) => {
    await page.goto('/graph');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fgraph$/);
    await expect(page.getByText('Open the link Meshscope printed')).toBeVisible();
    expect((await page.request.get('/api/namespaces')).status()).toBe(401);
    expect((await page.request.get('/metrics')).status()).toBe(401);
  });

  test('the launch link sets an HttpOnly SameSite=Strict cookie and leaves the address bar clean', async ({
    page,
  }) => {
    await page.goto(`/graph?launch=${encodeURIComponent(E2E_LAUNCH_SECRET)}`);
    await expect(page).toHaveURL(`http://127.0.0.1:${DEMO_PORT}/graph`);
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === `meshscope-session-${DEMO_PORT}`);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session?.value).not.toContain(E2E_LAUNCH_SECRET);
    expect(await page.evaluate(() => document.cookie)).not.toContain(`meshscope-session-${DEMO_PORT}`);
    expect((await page.request.get('/api/namespaces')).status()).toBe(200);
  });

  test('a wrong launch secret signs nobody in', async ({ page }) => {
    await page.goto('/graph?launch=wrong-secret-wrong-secret');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fgraph$/);
  });

  test('a foreign Host (DNS rebinding) is refused, pages and API alike', async ({ request }) => {
    for (const path of ['/', '/graph', '/api/namespaces', '/metrics']) {
      const response = await request.get(path, { headers: { host: 'rebind.evil.example' } });
      expect(response.status(), path).toBe(403);
    }
  });
});
