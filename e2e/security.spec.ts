import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from './fixtures';
import { SecurityPage } from './pages/SecurityPage';
import { CHAOS_DEMO_PORT } from './support/ports';

/**
 * The security page on the `chaos` scenario: the plaintext caller (legacy/legacy-client, no
 * sidecar) shows as a mismatch in the mTLS matrix; the what-if form, filled like a user, explains
 * why its requests to ratings are denied; a STRICT PeerAuthentication applied with kubectl shows
 * in the matrix within one refresh. The STRICT policy selects only details (the resilience tests
 * on the same server watch reviews) and is deleted at the end.
 */
const run = promisify(execFile);
const BASE_URL = `http://127.0.0.1:${CHAOS_DEMO_PORT}`;
const STRICT_NAME = 'e2e-security-strict-details';
const STRICT = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: ${STRICT_NAME}
  namespace: default
spec:
  selector:
    matchLabels:
      app: details
  mtls:
    mode: STRICT
`;
/** The page polls every 10 s: a change must show within one refresh, plus a little. */
const ONE_REFRESH_MS = 15_000;
/** The direct telemetry window fills as the demo's traffic runs: give it time after start. */
const TRAFFIC_MS = 60_000;

test.use({ baseURL: BASE_URL });

async function kubectlAvailable(): Promise<boolean> {
  return run('kubectl', ['version', '--client']).then(
    () => true,
    () => false,
  );
}

function kubectl(cacheDir: string) {
  const kubeconfig = path.join(process.cwd(), '.meshscope', `demo-${CHAOS_DEMO_PORT}`, 'admin.kubeconfig');
  return async (args: string[], input?: string): Promise<string> => {
    const child = run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args]);
    if (input !== undefined) child.child.stdin?.end(input);
    return (await child).stdout;
  };
}

test.describe('security views on the chaos mesh', () => {
  test('the matrix shows the plaintext caller and the PERMISSIVE destinations it reaches as mismatches', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const security = new SecurityPage(page);
    await security.goto({ namespaces: 'default,legacy' });
    await expect(security.heading).toBeVisible();
    // The first answer may wait for the caches and the first scrape of a demo that just started.
    await expect(security.namespaceRow('default')).toContainText('PERMISSIVE: mutual TLS and plaintext', {
      timeout: TRAFFIC_MS,
    });

    const legacy = security.cell('legacy', 'legacy-client-v1');
    await expect(security.cellToggle('legacy', 'legacy-client-v1')).toContainText(
      'legacy-client-v1 no sidecar ⚠ mismatch',
      { timeout: TRAFFIC_MS },
    );
    // Open the cell like a user and read why.
    await security.cellToggle('legacy', 'legacy-client-v1').click();
    await expect(legacy).toContainText('Plaintext caller outside the mesh');
    await expect(legacy).toContainText('default/ratings-v1 (PERMISSIVE destination accepting plaintext)');

    const ratings = security.cell('default', 'ratings-v1');
    await expect(security.cellToggle('default', 'ratings-v1')).toContainText(
      'ratings-v1 PERMISSIVE ⚠ mismatch',
    );
    // Keyboard: focus the cell's summary and press Enter.
    await security.cellToggle('default', 'ratings-v1').press('Enter');
    await expect(ratings.getByRole('table', { name: 'Ports of ratings-v1' })).toContainText('9080');
    await expect(ratings).toContainText('Plaintext from: unknown/unknown');

    const plaintextEdge = security.edges
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'unknown (no sidecar)' }) })
      .filter({ hasText: 'default/ratings-v1' });
    await expect(plaintextEdge).toContainText('0 %');
    await expect(plaintextEdge).toContainText('PERMISSIVE destination accepting plaintext');
  });

  test('the header shows the mesh lock and the overview each namespace lock, linked to the page', async ({
    page,
  }) => {
    await page.goto('/');
    const table = page.getByRole('table', { name: 'Namespaces' });
    const row = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'legacy', exact: true }) });
    // The row links its validation counts too ("1 info in legacy"); the lock is the one naming a mode.
    const lock = row
      .getByRole('link', { name: /in legacy$/ })
      .filter({ hasText: /STRICT|PERMISSIVE|DISABLE|MIXED/ });
    await expect(lock).toContainText('PERMISSIVE: mutual TLS and plaintext');
    const header = page.getByRole('link', { name: /^Mesh mTLS:/ });
    await expect(header).toContainText(/STRICT|PERMISSIVE|DISABLE|MIXED/);
    await lock.click();
    await expect(page).toHaveURL(/\/security\?namespaces=legacy$/);
    await expect(new SecurityPage(page).namespaceRow('legacy')).toContainText('legacy-client-v1');
  });

  test('the what-if form explains the denied edge from the plaintext caller to ratings', async ({ page }) => {
    const security = new SecurityPage(page);
    await security.goto({ namespaces: 'default,legacy' });
    await security.tab('Authorization').click();
    await expect(security.policies).toContainText('ratings-deny-plaintext');
    await expect(security.policies).toContainText(
      'deny every request from callers without a mutual-TLS identity (plaintext)',
    );
    await page.getByLabel('Workload', { exact: true }).selectOption('default/ratings-v1');
    await expect(page.getByTestId('workload-policies')).toContainText('DENY default/ratings-deny-plaintext');
    await expect(page.getByTestId('workload-default')).toContainText('allowed');
    await page.getByRole('button', { name: 'Check a request to ratings-v1' }).click();

    await expect(security.tab('What-if')).toHaveAttribute('aria-selected', 'true');
    await expect(security.field('Destination workload')).toHaveValue('default/ratings-v1');
    await security.field('Source namespace').selectOption('legacy');
    await security.field('Source workload (optional)').selectOption('legacy-client-v1');
    await security.field('Path').fill('/ratings/1');
    await security.field('Port (optional)').fill('9080');
    await security.whatIfForm.getByRole('button', { name: 'Check' }).click();

    await expect(security.decision).toHaveText('DENY');
    await expect(security.decidedBy).toHaveText(
      'Decided by AuthorizationPolicy default/ratings-deny-plaintext (DENY), rule 0.',
    );
    await expect(security.reason).toContainText('no peer identity');
    expect(security.params().get('srcWorkload')).toBe('legacy-client-v1');

    // The question is in the URL: a reload (or a bookmark) asks it again.
    await page.reload();
    await expect(security.decision).toHaveText('DENY');

    // The same caller to details is allowed: nothing denies it there.
    await security.field('Destination workload').selectOption('default/details-v1');
    await security.field('Path').fill('/details/1');
    await security.whatIfForm.getByRole('button', { name: 'Check' }).click();
    await expect(security.decision).toHaveText('ALLOW');
  });

  test("the graph marks the plaintext caller's denied edge to ratings and says which policy denies it", async ({
    graphPage,
    page,
  }) => {
    test.setTimeout(90_000);
    await graphPage.goto({ namespaces: 'default,legacy', graphType: 'workload', view: 'table' });
    const denied = graphPage.edgesTable.getByRole('button', { name: /^unknown → ratings/ }).first();
    await expect(denied).toBeVisible({ timeout: TRAFFIC_MS });
    // The table names the deciding policy in its own column, as the side panel does below.
    const deniedRow = graphPage.edgesTable
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: /^unknown → ratings/ }) })
      .first();
    await expect(deniedRow).toContainText('AuthorizationPolicy default/ratings-deny-plaintext', {
      timeout: ONE_REFRESH_MS,
    });
    await denied.click();
    const authz = graphPage.sidePanel.getByTestId('edge-authz');
    await expect(authz).toContainText(
      'denied (403) by AuthorizationPolicy default/ratings-deny-plaintext, rule 0',
      {
        timeout: ONE_REFRESH_MS,
      },
    );
    await expect(authz).toContainText('Configuration denies it too');
    // The caller's requests to details pass: no verdict there.
    await graphPage.edgesTable
      .getByRole('button', { name: /^unknown → details/ })
      .first()
      .click();
    await expect(graphPage.sidePanel.getByTestId('response-codes')).toBeVisible();
    await expect(graphPage.sidePanel.getByTestId('edge-authz')).toHaveCount(0);
  });

  test.describe('with kubectl', () => {
    let cacheDir = '';

    test.beforeAll(async () => {
      test.skip(
        !(await kubectlAvailable()),
        'kubectl is not on PATH: install it (Debian: kubernetes-client) to run this test',
      );
      cacheDir = await mkdtemp(path.join(tmpdir(), 'meshscope-e2e-kubectl-'));
    });
    test.afterAll(async () => {
      if (!cacheDir) return;
      await kubectl(cacheDir)([
        'delete',
        'peerauthentication',
        STRICT_NAME,
        '-n',
        'default',
        '--ignore-not-found',
      ]);
      await rm(cacheDir, { recursive: true, force: true });
    });

    test('a STRICT PeerAuthentication applied with kubectl shows in the matrix within one refresh', async ({
      page,
    }) => {
      test.setTimeout(90_000);
      const k = kubectl(cacheDir);
      const security = new SecurityPage(page);
      await security.goto({ namespaces: 'default,legacy' });
      // The cell's summary: the workload, its mode and what decided it.
      const details = security.cellToggle('default', 'details-v1');
      await expect(details).toContainText('PERMISSIVE');

      await k(['apply', '-f', '-'], STRICT);
      await expect(details).toContainText('STRICT', { timeout: ONE_REFRESH_MS });
      await expect(details).toContainText(`workload PeerAuthentication default/${STRICT_NAME}`);
      await expect(security.namespaceRow('default')).toContainText('MIXED');

      await k(['delete', 'peerauthentication', STRICT_NAME, '-n', 'default']);
      await expect(details).toContainText('PERMISSIVE', { timeout: ONE_REFRESH_MS });
    });
  });
});
