import { test, expect, Page } from '@playwright/test';
import { SHOTS, hydrated, signedIn } from './session';

// The demo's 2024 state-body round is past review: the CDO (Statistics
// Agency) sees a provisional score and appeals one value; a reviewer
// upholds it and the score moves; ministry staff close appeals and a
// publisher publishes the rating, which the public then reads. In order.
const CAMPAIGN = '2024-state-bodies';

async function cockpit(page: Page) {
  await page.goto('/campaigns');
  await page.locator(`tr[data-code="${CAMPAIGN}"] a`).first().click();
  await expect(page).toHaveURL(/\/campaigns\/\d+$/);
  await hydrated(page);
}

async function ownResult(page: Page): Promise<number> {
  await page.goto('/');
  await page.locator('.my-work ul.due a', { hasText: '2024' }).first().click();
  await expect(page).toHaveURL(/\/submissions\/\d+$/);
  await hydrated(page);
  const index = page.locator('section.provisional dd[data-index]');
  await expect(index).toBeVisible();
  return Number(await index.getAttribute('data-index'));
}

test.describe.serial('provisional results, appeals and publication', () => {
  let before = 0;

  test('a CDO sees the provisional result and appeals a value', async ({ browser }) => {
    const page = await signedIn(browser, 'cdo@daraja.uz');
    before = await ownResult(page);
    expect(before).toBeGreaterThan(0);
    await expect(page.locator('section.provisional')).not.toHaveAttribute('data-rank', '0');
    await page.locator('details.appeal-new summary').click();
    const form = page.locator('form.appeal-form');
    await form.locator('select[name="appeal[indicator]"]').selectOption('SERV.satisfaction');
    await form.locator('textarea[name="appeal[body]"]').fill('The 2024 survey of 3 112 users gives 100 % satisfied');
    await form.locator('input[name="appeal[proposed]"]').fill('100 %');
    await form.locator('input[name="appeal[evidence_url]"]').fill('https://stat.uz/survey-2024');
    await page.locator('#file-appeal').click();
    const row = page.locator('section.provisional table.appeals tr[data-status="pending"]');
    await expect(row).toContainText('SERV.satisfaction');
    await expect(row).toContainText('→ 100');
    await page.screenshot({ path: `${SHOTS}/provisional-appeal.png`, fullPage: true });
  });

  test('a reviewer upholds it and the entity is re-scored', async ({ browser }) => {
    const page = await signedIn(browser, 'reviewer@daraja.uz');
    await cockpit(page);
    await expect(page.locator('section.draft-league table.league tbody tr').first()).toBeVisible();
    const row = page.locator('section.appeals-panel tr[data-status="pending"]').first();
    await expect(row).toContainText('SERV.satisfaction');
    await row.locator('input[name="decision[outcome]"]').fill('Survey checked with the agency: upheld');
    await expect(row.locator('input[name="decision[value]"]')).toHaveValue('100');
    await row.locator('button[type=submit]').click();
    await expect(page.locator('section.appeals-panel tr[data-status="upheld"]')).toContainText('Survey checked');
    await page.screenshot({ path: `${SHOTS}/campaign-results.png`, fullPage: true });

    const cdo = await signedIn(browser, 'cdo@daraja.uz');
    const after = await ownResult(cdo);
    expect(after).toBeGreaterThan(before);
    await expect(cdo.locator('section.provisional tr[data-status="upheld"]')).toContainText('Survey checked');
  });

  test('appeals close, the publisher publishes, the public reads it', async ({ browser }) => {
    const admin = await signedIn(browser, 'admin@daraja.uz');
    await cockpit(admin);
    for (const next of ['appeals', 'final']) {
      await admin.locator(`button[data-next="${next}"]`).click();
      await expect(admin.locator('.cockpit-head [data-status]')).toHaveAttribute('data-status', next);
    }

    const page = await signedIn(browser, 'publisher@daraja.uz');
    await cockpit(page);
    // The publisher nominates another entity in the first domain, saying why.
    const first = page.locator('table.nominations tr').first();
    await expect(first).toHaveAttribute('data-chosen', 'false');
    const nominee = await first.locator('select[name=entity] option').nth(2).textContent();
    await first.locator('select[name=entity]').selectOption({ index: 2 });
    await first.locator('input[name=note]').fill('Best new e-service of the year');
    await first.locator('button[type=submit]').click();
    await expect(first).toHaveAttribute('data-chosen', 'true');
    await expect(first).toContainText(nominee!.trim());
    await page.locator('#publish').click();
    await expect(page.locator('table.revisions tr[data-revision="1"]')).toHaveAttribute('data-status', 'published');
    // Publishing the same results again is refused, with the reason.
    await page.locator('input[name="request[changelog]"]').fill('again');
    await page.locator('#publish').click();
    await expect(page.locator('[role=alert]')).toContainText('allaqachon eʼlon qilgan');
    await page.screenshot({ path: `${SHOTS}/campaign-published.png`, fullPage: true });

    const pub = await (await browser.newContext()).newPage();
    await pub.goto('/ratings/state_body');
    await expect(pub.locator('h1')).toContainText('2024');
    const published = pub.locator('.public-nominations tr[data-chosen="true"]');
    await expect(published).toContainText(nominee!.trim());
    await expect(published).toContainText('Best new e-service of the year');
    await pub.locator('.public-nominations').screenshot({ path: `${SHOTS}/ratings-nominations.png` });
  });
});
