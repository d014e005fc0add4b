import { existsSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

/** Debian's chromium (scripts/prerequisites.sh installs it), or CHROMIUM_PATH. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

/** What Swagger UI rendered for one "Try it out" run. */
export interface RenderedResponse {
  url: string;
  status: number;
  body: any;
}

/** Drives settlement's Swagger UI as a person would: the Authorize dialog, the definition selector, Try it out. */
export class SwaggerUi {
  constructor(private readonly page: Page) {}

  async open(docsUrl: string): Promise<void> {
    await this.page.goto(docsUrl);
    await this.page.locator('.swagger-ui .information-container .title').waitFor();
    await this.page.locator('.opblock').first().waitFor();
  }

  /** The security scheme's description as the Authorize dialog shows it, after authorizing with `token`. */
  async authorize(token: string): Promise<string> {
    await this.page.locator('.scheme-container button.authorize').click();
    const dialog = this.page.locator('.dialog-ux .modal-ux');
    await dialog.waitFor();
    const description = (await dialog.locator('.auth-container').first().innerText()).trim();
    await dialog.locator('.auth-container input').first().fill(token);
    await dialog.locator('.auth-btn-wrapper button.authorize').click();
    await dialog.locator('.auth-btn-wrapper button.btn-done').click();
    await dialog.waitFor({ state: 'detached' });
    return description;
  }

  /** Picks a document in the top bar's definition selector and waits until it is rendered. */
  async selectDefinition(name: string, title: RegExp): Promise<void> {
    await this.page.locator('.topbar select').selectOption({ label: name });
    await this.page.locator('.swagger-ui .information-container .title', { hasText: title }).waitFor();
    await this.page.locator('.opblock').first().waitFor();
  }

  /**
   * Expands GET `path`, presses Try it out, empties every text parameter (examples are not filters),
   * fills `params`, executes and returns the response Swagger UI rendered.
   */
  async tryGet(path: string, params: Record<string, string> = {}): Promise<RenderedResponse> {
    const op = this.operation('get', path);
    await op.scrollIntoViewIfNeeded();
    if (!(await op.evaluate((el) => el.classList.contains('is-open')))) await op.locator('.opblock-summary').click();
    await op.locator('button.try-out__btn').click();
    const inputs = op.locator('.parameters input[type=text]');
    for (let i = 0; i < (await inputs.count()); i += 1)
      if ((await inputs.nth(i).inputValue()) !== '') await inputs.nth(i).fill('');
    for (const [name, value] of Object.entries(params))
      await op.locator(`tr[data-param-name="${name}"] input[type=text]`).fill(value);
    await op.locator('button.execute').click();
    const live = op.locator('.responses-wrapper .live-responses-table');
    await live.waitFor();
    const status = Number((await live.locator('tbody .response-col_status').first().innerText()).trim());
    const url = (await op.locator('.request-url pre').innerText()).trim();
    const text = await live.locator('.response-col_description .highlight-code pre').first().innerText();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON ("Failed to fetch", an HTML error page): the caller's assertion shows the text.
    }
    return { url, status, body };
  }

  private operation(method: string, path: string): Locator {
    return this.page
      .locator(`.opblock.opblock-${method}`)
      .filter({ has: this.page.locator(`.opblock-summary-path[data-path="${path}"]`) })
      .first();
  }
}
