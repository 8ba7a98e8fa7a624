import { test, expect } from '@playwright/test';
import { hydrated, scan, signedIn } from './session';

// An accessibility scan (axe-core, WCAG 2.1 A and AA rules) of the public
// pages and the officer's form: no serious or critical violation.
const publicPages: Array<[string, string]> = [
  ['home', '/'],
  ['district ratings', '/ratings/district'],
  ['registry', '/registry?kind=region'],
  ['methodologies', '/methodologies'],
  ['what-if', '/ratings/district/what-if'],
  ['API reference', '/developers'],
];

for (const [what, path] of publicPages) {
  test(`${what} has no serious accessibility violation`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    await scan(page, what);
  });
}

test('a region page and an entity profile have no serious accessibility violation', async ({ page }) => {
  await page.goto('/registry?kind=region');
  await page.getByRole('link', { name: 'Andijon viloyati' }).click();
  await hydrated(page);
  await expect(page.locator('section.region-rating')).toBeVisible();
  await scan(page, 'region page');
  await page.goto('/registry?q=1703224');
  await page.getByRole('link', { name: 'Asaka tumani' }).click();
  await hydrated(page);
  await expect(page.locator('section.profile')).toBeVisible();
  await scan(page, 'entity profile');
});

test("the officer's form and home page have no serious accessibility violation", async ({ browser }) => {
  const page = await signedIn(browser, 'district@daraja.uz');
  await hydrated(page);
  await scan(page, 'officer home');
  await page.locator('.my-work ul.due a').first().click();
  await expect(page.locator('section.form-head')).toBeVisible();
  await expect(page).toHaveTitle(/Asaka/);
  await scan(page, 'submission form');
});

test('the ministry pages have no serious accessibility violation', async ({ browser }) => {
  const page = await signedIn(browser, 'admin@daraja.uz');
  await hydrated(page);
  await expect(page.locator('.pulse-table')).toBeVisible();
  await scan(page, 'ministry home');
  await page.goto('/campaigns');
  await hydrated(page);
  await scan(page, 'campaigns');
  await page.goto('/review');
  await hydrated(page);
  await scan(page, 'review queue');
  await page.goto('/campaigns');
  await page.locator('a[href^="/campaigns/"]').first().click();
  await expect(page.locator('h1')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await scan(page, 'campaign cockpit');
  await page.goto('/admin/tokens');
  await hydrated(page);
  await scan(page, 'integration tokens');
});
