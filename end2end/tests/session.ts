import { expect, Page, Browser } from '@playwright/test';
import * as fs from 'fs';

// What the demo's browser tests share: the demo password, where
// screenshots go, and signing in on a page or in a fresh context.
export const PASSWORD = 'daraja-demo-2026';
// Kept apart from test-results/, which Playwright empties at every run.
export const SHOTS = 'screenshots';

export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated="true"]').waitFor();
}

export async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type=submit].primary').click();
  await expect(page).toHaveURL(/\/$/);
}

/// A page signed in as `email`, in a context of its own.
export async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/// An axe-core scan (WCAG 2.1 A and AA rules): no serious or critical violation.
export async function scan(page: Page, what: string) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // @ts-ignore axe is injected above
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')),
    }));
  });
  const bad = result.filter((v: any) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${what}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
}

