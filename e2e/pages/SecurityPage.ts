import type { Locator, Page } from '@playwright/test';

/** The security page (`/security`): mTLS matrix and traffic, authorization policies, what-if. */
export class SecurityPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly matrix: Locator;
  readonly edges: Locator;
  readonly findings: Locator;
  readonly policies: Locator;
  readonly whatIfForm: Locator;
  readonly decision: Locator;
  readonly decidedBy: Locator;
  readonly reason: Locator;
  readonly refreshButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Security' });
    this.matrix = page.getByRole('table', { name: /Effective mTLS per namespace and workload/ });
    this.edges = page.getByRole('table', { name: /Observed traffic/ });
    this.findings = page.getByTestId('mtls-findings');
    this.policies = page.getByRole('table', { name: 'AuthorizationPolicies' });
    this.whatIfForm = page.getByRole('form', { name: 'What-if authorization check' });
    this.decision = page.getByTestId('whatif-decision');
    this.decidedBy = page.getByTestId('whatif-decided-by');
    this.reason = page.getByTestId('whatif-reason');
    this.refreshButton = page.getByRole('button', { name: /^Refresh/ });
  }

  async goto(params: Record<string, string> = {}): Promise<void> {
    await this.page.goto(`/security?${new URLSearchParams(params)}`);
  }

  params(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }

  tab(name: 'Mutual TLS' | 'Authorization' | 'What-if'): Locator {
    return this.page.getByRole('tab', { name });
  }

  /** The matrix row of a namespace (its row header). */
  namespaceRow(namespace: string): Locator {
    return this.matrix
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: namespace, exact: true }) });
  }

  /** A workload's cell in the matrix: a disclosure whose summary names the workload and its mode. */
  cell(namespace: string, workload: string): Locator {
    return this.namespaceRow(namespace).getByTestId(`mtls-cell-${namespace}-${workload}`);
  }

  /** A cell's summary (the workload, its mode and origin), which a user clicks or presses Enter on to open it. */
  cellToggle(namespace: string, workload: string): Locator {
    return this.cell(namespace, workload).getByTestId(`mtls-cell-toggle-${namespace}-${workload}`);
  }

  field(label: string): Locator {
    return this.whatIfForm.getByLabel(label, { exact: true });
  }
}
