import { expect, Page, Browser } from '@playwright/test';

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
