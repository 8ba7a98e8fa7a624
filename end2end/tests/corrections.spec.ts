import { test, expect, Page } from '@playwright/test';
import { SHOTS, hydrated, signedIn } from './session';

// Published means frozen: a reviewer corrects an answer of the final,
// published December 2022 district round; the form and the campaign page
// say "corrected, not yet published", the public page and files still show
// revision 1; the publisher sees the pending correction with its effect on
// the league, publishes it, and revision 2 lists it in its changelog.
// (2022, so the 2023 figures other tests read stay as they are.)
const CAMPAIGN = 'district-2022-12';
const DISTRICT = '1703206'; // Baliqchi, Andijan region
const INDICATOR = 'INFRA.social_broadband';

async function campaignPage(page: Page) {
  await page.goto('/campaigns');
  await page.locator(`tr[data-code="${CAMPAIGN}"] a`).first().click();
  await expect(page).toHaveURL(/\/campaigns\/\d+$/);
  await hydrated(page);
}

async function publicCsv(page: Page): Promise<string> {
  const r = await page.request.get(`/open-data/ratings/${CAMPAIGN}/r1.csv`);
  expect(r.status()).toBe(200);
  return r.text();
}

test.describe.serial('a correction after publication', () => {
  let published = '';

  test('a reviewer corrects a published answer: marked as not yet published', async ({ browser }) => {
    const page = await signedIn(browser, 'reviewer@daraja.uz');
    published = await publicCsv(page);
    await campaignPage(page);
    await page.locator(`table.cockpit tr[data-entity="${DISTRICT}"] a`).first().click();
    await expect(page).toHaveURL(/\/submissions\/\d+$/);
    await hydrated(page);
    const field = page.locator(`.field[data-code="${INDICATOR}"]`);
    await expect(field.locator('.unpublished-correction')).toHaveCount(0);
    const form = field.locator('form.review-form');
    await form.locator('select[name=action]').selectOption('adjust');
    await form.locator('input[name=value]').fill('3');
    await form.locator('input[name=reason]').fill("The operator's register lists 3 %");
    await form.locator('button[type=submit]').click();
    await expect(field.locator('.unpublished-correction')).toBeVisible();
    await field.screenshot({ path: `${SHOTS}/correction-form.png` });
    await page.setViewportSize({ width: 360, height: 800 });
    await field.screenshot({ path: `${SHOTS}/correction-form-phone.png` });
    // The public files of revision 1 do not change.
    expect(await publicCsv(page)).toBe(published);
  });

  test('the publisher sees it pending with its effect, publishes, the public reads it', async ({ browser }) => {
    const page = await signedIn(browser, 'publisher@daraja.uz');
    await campaignPage(page);
    const pending = page.locator('section.pending-corrections');
    await expect(pending).toHaveAttribute('data-count', '1');
    const row = pending.locator(`table.corrections tr[data-entity="${DISTRICT}"][data-indicator="${INDICATOR}"]`);
    await expect(row.locator('td.after')).toHaveText('3');
    await expect(row).toContainText("The operator's register lists 3 %");
    await expect(pending.locator(`table.correction-effects tr[data-entity="${DISTRICT}"]`)).toBeVisible();
    await pending.screenshot({ path: `${SHOTS}/correction-pending.png` });
    await page.setViewportSize({ width: 360, height: 800 });
    await pending.screenshot({ path: `${SHOTS}/correction-pending-phone.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('input[name="request[changelog]"]').fill("Baliqchi's broadband share corrected");
    await page.locator('#publish').click();
    await expect(page.locator('table.revisions tr[data-revision="2"]')).toHaveAttribute('data-status', 'published');
    await expect(page.locator('section.pending-corrections')).toHaveAttribute('data-count', '0');

    const pub = await (await browser.newContext()).newPage();
    await pub.goto(`/ratings/district?campaign=${CAMPAIGN}`);
    const notes = pub.locator('details.changelog');
    await notes.locator('summary').first().click();
    const corrected = notes.locator(`li[data-revision="2"] details.revision-corrections`);
    await corrected.locator('summary').click();
    await expect(corrected.locator(`tr[data-entity="${DISTRICT}"]`)).toContainText(INDICATOR);
    await pub.screenshot({ path: `${SHOTS}/correction-published.png`, fullPage: true });
    // Revision 1 stays as it was published.
    expect(await publicCsv(pub)).toBe(published);
  });
});
