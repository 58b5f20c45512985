import type { Locator, Page } from '@playwright/test';

/** The Istio config list (`/config`): filters, objects with finding counts, findings. */
export class ConfigPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly objectsTable: Locator;
  readonly findingsTable: Locator;
  readonly kind: Locator;
  readonly namespace: Locator;
  readonly severity: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Istio config' });
    this.objectsTable = page.getByRole('table', { name: 'Istio configuration' });
    this.findingsTable = page.getByRole('table', { name: 'Findings' });
    this.kind = page.getByLabel('Kind');
    this.namespace = page.getByLabel('Namespace');
    this.severity = page.getByLabel('Severity');
  }

  async goto(filters: { kind?: string; namespace?: string; severity?: string } = {}): Promise<void> {
    await this.page.goto(`/config?${new URLSearchParams(filters)}`);
  }

  params(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }

  /** The objects table's row of an object, by its name (the row header). */
  objectRow(name: string): Locator {
    return this.objectsTable
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** The findings table's rows about an object (`Kind namespace/name`). */
  findingRows(object: string): Locator {
    return this.findingsTable
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: object, exact: true }) });
  }
}

/** One object's page (`/config/KIND/NAMESPACE/NAME`): the YAML editor, findings, save flow. */
export class ConfigObjectPage {
  readonly page: Page;
  /** CodeMirror's content element (role textbox, named after the object) */
  readonly editor: Locator;
  readonly markers: Locator;
  readonly findings: Locator;
  readonly references: Locator;
  readonly reviewButton: Locator;
  readonly reviewDialog: Locator;
  readonly conflictDialog: Locator;
  readonly readOnlyReason: Locator;

  constructor(page: Page) {
    this.page = page;
    this.editor = page.getByRole('textbox', { name: /^YAML of / });
    this.markers = page.getByTestId('editor-markers');
    this.findings = page.getByTestId('finding-list');
    this.references = page.getByTestId('references');
    this.reviewButton = page.getByRole('button', { name: 'Review changes' });
    this.reviewDialog = page.getByRole('dialog', { name: /^Review changes to / });
    this.conflictDialog = page.getByRole('dialog', { name: /changed since you read it$/ });
    this.readOnlyReason = page.getByTestId('read-only-reason');
  }

  async goto(kind: string, namespace: string, name: string): Promise<void> {
    await this.page.goto(`/config/${kind}/${namespace}/${name}`);
  }
}
