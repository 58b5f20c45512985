import { expect, type Locator, type Page } from '@playwright/test';

/** The traffic-split editor (`/traffic-split/NAMESPACE/NAME`): sliders, review, apply, conflict. */
export class TrafficSplitPage {
  readonly page: Page;
  readonly editor: Locator;
  readonly reviewButton: Locator;
  readonly reviewPanel: Locator;
  readonly applyButton: Locator;
  readonly appliedNotice: Locator;
  readonly conflictDialog: Locator;
  readonly readOnlyReason: Locator;
  readonly history: Locator;

  constructor(page: Page) {
    this.page = page;
    this.editor = page.getByTestId('split-editor');
    this.reviewButton = page.getByRole('button', { name: 'Review change' });
    this.reviewPanel = page.getByTestId('review-panel');
    this.applyButton = this.reviewPanel.getByRole('button', { name: 'Apply' });
    this.appliedNotice = page.getByTestId('applied-notice');
    this.conflictDialog = page.getByRole('dialog', { name: 'The VirtualService changed since you read it' });
    this.readOnlyReason = page.getByTestId('read-only-reason');
    this.history = page.getByTestId('split-history');
  }

  async goto(namespace: string, name: string): Promise<void> {
    await this.page.goto(`/traffic-split/${namespace}/${name}`);
    await expect(
      this.page.getByRole('heading', { level: 1, name: `Traffic split: ${namespace}/${name}` }),
    ).toBeVisible();
    await expect(this.editor).toBeVisible();
  }

  /** The range input of a destination, by its name (`reviews v1`). */
  slider(destination: string): Locator {
    return this.page.getByRole('slider', { name: `Weight of ${destination}`, exact: true });
  }

  number(destination: string): Locator {
    return this.page.getByRole('spinbutton', { name: `Weight of ${destination} in percent`, exact: true });
  }

  row(destination: string): Locator {
    return this.page.locator(`[data-testid="weight-row"][data-destination="${destination}"]`);
  }

  async weight(destination: string): Promise<number> {
    return Number(await this.slider(destination).inputValue());
  }

  /**
   * Drags a slider's thumb with the mouse to `value`: presses on the thumb, moves to where the
   * value lies on the track, and nudges pixel by pixel (still holding the button) until the
   * input reads the value.
   */
  async dragTo(destination: string, value: number): Promise<void> {
    const slider = this.slider(destination);
    await slider.scrollIntoViewIfNeeded();
    const box = await slider.boundingBox();
    if (!box) throw new Error(`the slider of ${destination} is not on screen`);
    // Chromium's thumb is about 16 px wide; its centre runs from left + 8 to right - 8.
    const half = 8;
    const xOf = (weight: number) => box.x + half + (weight / 100) * (box.width - 2 * half);
    const y = box.y + box.height / 2;
    let x = xOf(await this.weight(destination));
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    x = xOf(value);
    await this.page.mouse.move(x, y, { steps: 12 });
    for (let nudges = 0; nudges < 40; nudges++) {
      const current = await this.weight(destination);
      if (current === value) break;
      x += current < value ? 1 : -1;
      await this.page.mouse.move(x, y);
    }
    await this.page.mouse.up();
    await expect(slider).toHaveValue(String(value));
  }

  async lock(destination: string): Promise<void> {
    const button = this.page.getByRole('button', { name: `Lock ${destination}`, exact: true });
    await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
  }

  async addHeaderRule(options: { header: string; value: string; target: string }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Header rule' });
    await this.page.getByText('Add a header rule in front of this route').click();
    await form.getByLabel('Header').fill(options.header);
    await form.getByLabel('Value (exact)').fill(options.value);
    await form.getByLabel('Send to').selectOption({ label: options.target });
    await form.getByRole('button', { name: 'Add header rule to the change' }).click();
    await expect(this.page.getByTestId('pending-changes')).toContainText(
      `${options.header}: ${options.value}`,
    );
  }

  /** Asks for the server's dry run and waits for the review. */
  async review(): Promise<void> {
    await this.reviewButton.click();
    await expect(this.reviewPanel).toBeVisible();
  }

  /** Applies the reviewed change and returns the new resourceVersion shown. */
  async apply(): Promise<string> {
    await this.applyButton.click();
    await expect(this.appliedNotice).toBeVisible();
    return (await this.appliedNotice.getByTestId('applied-resource-version').textContent()) ?? '';
  }
}
